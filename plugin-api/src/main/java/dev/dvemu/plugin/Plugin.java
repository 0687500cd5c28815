package dev.dvemu.plugin;

/**
 * Server-side logic run by a registered {@link Step}: Dataverse's {@code IPlugin.Execute} in Java. A synchronous
 * step runs in the operation's database transaction (PreValidation of a request's own operation excepted), so
 * whatever it throws rolls the whole operation back, and, in a {@code $batch} changeset, the whole changeset.
 *
 * <pre>{@code
 * Plugin refuseEmptyName = context -> {
 *     if (context.target().get("name", String.class).map(String::isBlank).orElse(true)) {
 *         throw new InvalidPluginExecutionException("An account needs a name.");
 *     }
 * };
 * }</pre>
 *
 * Throw {@link InvalidPluginExecutionException} to refuse the operation with your message (HTTP 400,
 * {@code 0x80040265}); any other exception is answered as Dataverse answers an unexpected one ({@code 0x80040224}).
 */
@FunctionalInterface
public interface Plugin {
    void execute(PluginContext context) throws Exception;
}
