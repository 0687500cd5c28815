package dev.dvemu.server.admin;

import java.util.Collection;

/** A refused admin call: answered with its status and {@code {"error":{"code","message"}}}. */
public final class AdminException extends RuntimeException {
    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static AdminException badRequest(String message) {
        return new AdminException(400, "BadRequest", message);
    }

    public static AdminException notFound(String message) {
        return new AdminException(404, "NotFound", message);
    }

    public static AdminException methodNotAllowed(String method, String path, Collection<String> allowed) {
        return new AdminException(405, "MethodNotAllowed", method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
    }

    public static AdminException conflict(String message) {
        return new AdminException(409, "Conflict", message);
    }
}
