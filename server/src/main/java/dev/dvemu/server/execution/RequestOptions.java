package dev.dvemu.server.execution;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a request says about how its operations run, beside what they write: the {@code tag} plug-ins see as a
 * shared variable, the bypass headers, the user it runs as, and whether error bodies carry annotations.
 *
 * @param bypassCustomSync     {@code MSCRM.BypassCustomPluginExecution: true} or
 *                             {@code MSCRM.BypassBusinessLogicExecution: CustomSync}: no synchronous step runs
 * @param bypassedSteps        {@code MSCRM.BypassBusinessLogicExecutionStepIds}: these steps do not run
 * @param errorAnnotations     {@code Prefer: odata.include-annotations} asks for the error annotations
 */
public record RequestOptions(Optional<String> tag, boolean bypassCustomSync, Set<UUID> bypassedSteps, UUID userId,
                             boolean errorAnnotations) {
    /** A request that says nothing: the default user, no tag, nothing bypassed. */
    public static final RequestOptions DEFAULT = new RequestOptions(Optional.empty(), false, Set.of(), Org.USER_ID, false);

    public RequestOptions {
        bypassedSteps = Set.copyOf(bypassedSteps);
    }
}
