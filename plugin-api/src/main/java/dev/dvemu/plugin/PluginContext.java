package dev.dvemu.plugin;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a step is told about the operation it runs in: Dataverse's {@code IPluginExecutionContext}, with its
 * {@code IOrganizationService} ({@link #service()}) and {@code ITracingService} ({@link #trace}).
 *
 * <pre>{@code
 * Entity target = context.target();                       // Create and Update: the values being written
 * Entity before = context.preEntityImages().get("pre");   // as registered on the step
 * String tag = (String) context.sharedVariables().get("tag"); // the Web API's ?tag= option
 * }</pre>
 */
public interface PluginContext {
    /** {@code Create}, {@code Update}, {@code Delete}, or a custom API's unique name. */
    String messageName();

    /** The logical name of the operation's table; {@code "none"} for an unbound custom API. */
    String primaryEntityName();

    /** The row's id once known: empty in a Create before the row exists, unless the caller chose the id. */
    Optional<UUID> primaryEntityId();

    Stage stage();

    /** 1 for the request's own operation, one more for each operation a plug-in starts. */
    int depth();

    /** Whether this step runs inside the operation's database transaction. */
    boolean isInTransaction();

    /** The user the request runs as (the one {@code WhoAmI} answers, or the impersonated one). */
    UUID userId();

    UUID initiatingUserId();

    UUID businessUnitId();

    UUID organizationId();

    /** One id for the request and every operation its plug-ins start. */
    UUID correlationId();

    /**
     * The message's parameters: {@code Target} (an {@link Entity} for Create and Update, an {@link EntityReference}
     * for Delete), and a custom API's request parameters. Changes to {@code Target} in PreValidation and
     * PreOperation are what gets written.
     */
    Map<String, Object> inputParameters();

    /** The message's results, filled after the main operation ({@code id} after a Create); writable in PostOperation. */
    Map<String, Object> outputParameters();

    /**
     * Values shared by every step of this operation and the operations it starts; the Web API's {@code tag} query
     * option appears as {@code "tag"}.
     */
    Map<String, Object> sharedVariables();

    /** The row as it was before the operation, by the aliases registered on the step (Update and Delete). */
    Map<String, Entity> preEntityImages();

    /** The row as it is after the operation, by alias (PostOperation of Create and Update only). */
    Map<String, Entity> postEntityImages();

    /** The context of the operation whose plug-in started this one. */
    Optional<PluginContext> parentContext();

    /** Reads and writes in this operation's transaction; writes run their own steps, one level deeper. */
    OrganizationService service();

    /** Adds a line to the trace the error answer carries ({@code @Microsoft.PowerApps.CDS.TraceText}). */
    void trace(String format, Object... args);

    /** {@code Target} as an {@link Entity} (Create, Update); an {@link IllegalStateException} for other messages. */
    default Entity target() {
        Object target = inputParameters().get("Target");
        if (target instanceof Entity e) {
            return e;
        }
        throw new IllegalStateException("the " + messageName() + " message has no Entity target");
    }

    /** {@code Target} as a reference (Delete), or the Entity target's reference. */
    default EntityReference targetReference() {
        Object target = inputParameters().get("Target");
        if (target instanceof EntityReference r) {
            return r;
        }
        if (target instanceof Entity e) {
            return e.toReference();
        }
        throw new IllegalStateException("the " + messageName() + " message has no target");
    }
}
