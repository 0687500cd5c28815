package dev.dvemu.server.api;

import dev.dvemu.server.error.DataverseError;

import java.util.HashMap;
import java.util.Map;

/**
 * The Content-IDs declared so far in the changeset this thread is executing (§5.2): each maps to the URL path of
 * the row its operation created or changed, so later operations can write {@code $1} as their URL, in
 * {@code @odata.bind} and in {@code @odata.id}. Outside a changeset no reference resolves.
 */
final class BatchContext {
    private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

    private BatchContext() {
    }

    static void open() {
        CURRENT.set(new HashMap<>());
    }

    static void close() {
        CURRENT.remove();
    }

    /** True while this thread executes a changeset. */
    static boolean inChangeset() {
        return CURRENT.get() != null;
    }

    static void declare(String contentId, String rowPath) {
        Map<String, String> ids = CURRENT.get();
        if (ids != null && contentId != null) {
            ids.put(contentId, rowPath);
        }
    }

    /** The row path ({@code new_bookings(<id>)}) behind {@code $n}; 400 with Dataverse's message when undeclared. */
    static String resolve(String reference) {
        Map<String, String> ids = CURRENT.get();
        String id = reference.startsWith("$") ? reference.substring(1) : reference;
        String path = ids == null ? null : ids.get(id);
        if (path == null) {
            throw DataverseError.CONTENT_ID_NOT_FOUND.exception(reference);
        }
        return path;
    }

    static boolean isReference(String value) {
        return value.length() > 1 && value.charAt(0) == '$' && Character.isLetterOrDigit(value.charAt(1))
                && !value.startsWith("$metadata") && !value.startsWith("$batch");
    }
}
