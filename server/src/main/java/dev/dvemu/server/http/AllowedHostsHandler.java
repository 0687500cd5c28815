package dev.dvemu.server.http;

import dev.dvemu.server.error.DataverseError;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Guards a server on a loopback address against DNS rebinding: a web page from another site that points its own
 * name at 127.0.0.1 reaches the server from the developer's browser, but with its own name in {@code Host}. Only
 * loopback names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any port), the host of {@code --public-url}
 * and the names of {@code --allowed-hosts} are answered; anything else gets a JSON 400 before authentication. The
 * host checked is the one the request is for after {@code --trusted-proxies}' forwarded headers are applied.
 */
public final class AllowedHostsHandler extends Handler.Wrapper {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> allowed = new HashSet<>(LOOPBACK_NAMES);

    /** {@code names}: more host names to answer, without ports ({@code dv.example.com}, {@code [fd00::1]}). */
    public AllowedHostsHandler(Handler next, List<String> names) {
        super(next);
        names.forEach(n -> allowed.add(normalize(n)));
    }

    /**
     * Whether a server listening on {@code bind} needs the check: one on a loopback address does (only this machine's
     * browser can reach it, and rebinding is how a page gets in); one on any other address is reachable by anyone
     * who can reach the port anyway. {@code "*"} among the allowed names turns it off.
     */
    public static boolean needed(String bind, List<String> allowedHosts) {
        if (allowedHosts.contains("*")) {
            return false;
        }
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // the connector will fail to bind it anyway
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHttpURI().getHost();
        if (host == null || allowed.contains(normalize(host))) {
            return super.handle(request, response, callback);
        }
        EarlyAnswers.error(request, response, callback, DataverseError.INVALID_HOSTNAME.exception(host), true);
        return true;
    }

    /** Lower case, without the brackets of an IPv6 literal or the dot of a fully qualified name. */
    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
