package dev.dvemu.server.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Believes {@code Forwarded} and {@code X-Forwarded-Proto/Host/Port/For} only from the proxies the user trusts
 * ({@code --trusted-proxies}, IPs and CIDRs): from them Jetty's {@link ForwardedRequestCustomizer} rewrites the
 * request's scheme, host and port (so links name the address the client used); from anyone else the headers are
 * ignored, since any client can send them.
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {
    private final InetAddressSet trusted = new InetAddressSet();
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    public TrustedProxies(List<String> addresses) {
        addresses.forEach(trusted::add);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress a && a.getAddress() != null && trusted.test(a.getAddress())
                ? forwarded.customize(request, responseHeaders)
                : request;
    }
}
