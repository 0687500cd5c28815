package dev.dvemu.server.admin;

import java.io.IOException;

/**
 * One resource of the admin API, {@code /_dvemu/<name>/...}: {@link AdminServlet} routes by the first path segment
 * and hands the rest of the path, the query and the body over in an {@link AdminExchange}.
 */
public interface AdminResource {
    /** The first path segment this resource answers, e.g. {@code "reset"} for {@code /_dvemu/reset}. */
    String name();

    /**
     * Answers the request, or throws {@link AdminException} (written as {@code {"error":{"code","message"}}}).
     * Unknown sub-paths and methods are answered with {@link AdminException#notFound} and
     * {@link AdminException#methodNotAllowed}.
     */
    void handle(AdminExchange exchange) throws IOException;
}
