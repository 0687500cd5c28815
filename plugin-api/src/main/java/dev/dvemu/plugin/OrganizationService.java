package dev.dvemu.plugin;

import java.util.List;
import java.util.UUID;

/**
 * A plug-in's way to the data: Dataverse's {@code IOrganizationService}. Every call runs in the transaction of the
 * operation the plug-in runs in, and a write runs the steps registered for it at depth + 1. A failed call throws
 * {@link DataverseFault} with the error code a Web API client would get.
 *
 * <pre>{@code
 * // pre-lock (Dataverse's auto-numbering pattern): a blind update holds the row's lock until the commit
 * service.update(new Entity("new_counter", counterId).set("new_lockedby", context.correlationId().toString()));
 * Entity counter = service.retrieve("new_counter", counterId, "new_next");
 * }</pre>
 */
public interface OrganizationService {
    /** Creates the row; returns its id. */
    UUID create(Entity entity);

    /** The row with the named columns (all when none are named); {@link DataverseFault} {@code 0x80040217} if none. */
    Entity retrieve(String logicalName, UUID id, String... columns);

    /** The rows matching every attribute = value pair of the query, in its order, at most its top count. */
    List<Entity> retrieveMultiple(QueryByAttribute query);

    /** Updates the columns the entity carries; the entity must have an id. */
    void update(Entity entity);

    /** Updates as {@link #update(Entity)}, with a version check when asked for. */
    void update(Entity entity, ConcurrencyBehavior behavior);

    void delete(String logicalName, UUID id);
}
