package dev.dvemu.server.support;

import dev.dvemu.server.DvemuServer;
import dev.dvemu.testkit.Dvemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte for byte over a socket, for what client libraries will not send: a body that never
 * arrives, a lying Content-Length, any Host header, headers too large, illegal characters in the URL.
 */
public final class RawHttp {
    /** Generous: long enough for a loaded machine, short enough that a server that never answers fails the test. */
    public static final int READ_TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /** One response as read off the wire. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A connection to the server with the read timeout set. */
    public static Socket connect(DvemuServer server) throws IOException {
        return connect(server.baseUri());
    }

    public static Socket connect(Dvemu dvemu) throws IOException {
        return connect(dvemu.webApiUrl());
    }

    /** A connection to the server at {@code uri} (any of its URLs) with the read timeout set. */
    public static Socket connect(URI uri) throws IOException {
        Socket s = new Socket(uri.getHost(), uri.getPort());
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    /**
     * A request head: the request line, {@code Host}, a bearer token, the given headers (each "Name: value"), and
     * the blank line. {@code target} is sent as it is.
     */
    public static byte[] head(String method, String target, String host, String... headers) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (host != null) {
            sb.append("Host: ").append(host).append("\r\n");
        }
        sb.append("Authorization: Bearer test-token\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The {@code host:port} a client of this server sends by default. */
    public static String hostOf(DvemuServer server) {
        return hostOf(server.baseUri());
    }

    public static String hostOf(Dvemu dvemu) {
        return hostOf(dvemu.webApiUrl());
    }

    public static String hostOf(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Sends a whole request on a new connection and reads one response. */
    public static Response exchange(DvemuServer server, byte[] head, byte[] body) throws IOException {
        return exchange(server.baseUri(), head, body);
    }

    public static Response exchange(Dvemu dvemu, byte[] head, byte[] body) throws IOException {
        return exchange(dvemu.webApiUrl(), head, body);
    }

    public static Response exchange(URI uri, byte[] head, byte[] body) throws IOException {
        try (Socket s = connect(uri)) {
            s.getOutputStream().write(head);
            if (body != null) {
                s.getOutputStream().write(body);
            }
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /** Reads one response: status line, headers, and a body framed by Content-Length, chunks or the end of stream. */
    public static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (status >= 200 && status != 204 && status != 304) {
            body.writeBytes(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    /** True when the server closes the connection (end of stream or reset) before the read timeout. */
    public static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
