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

    /**
     * Relates each of {@code relatedEntities} to the row, along the relationship named by its schema name (Dataverse's
     * {@code Associate}): a many-to-many relationship, from either table, links the rows (a pair already linked is
     * {@link DataverseFault} {@code 0x80040237}); a one-to-many one, from its referenced ("one") table, sets each
     * related row's lookup to the row, an Update of that row. The {@code Associate} (or Update) steps run.
     */
    void associate(String logicalName, UUID id, Relationship relationship, List<EntityReference> relatedEntities);

    /**
     * Removes the relation of each of {@code relatedEntities} to the row (Dataverse's {@code Disassociate}): unlinks a
     * many-to-many pair, or clears a related row's lookup when it points at the row. A relation that does not exist
     * is left as it is, without an error.
     */
    void disassociate(String logicalName, UUID id, Relationship relationship, List<EntityReference> relatedEntities);
}
