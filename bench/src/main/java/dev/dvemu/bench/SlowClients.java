package dev.dvemu.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connections that send a request's headers ({@code Content-Length: 100000}) and then its body one byte at a time,
 * one byte every {@code interval} on each: a slow network, or an attack. A connection the server answers (and
 * closes) is replaced at once, so the count stays up for as long as this runs.
 */
final class SlowClients implements AutoCloseable {
    private final URI base;
    private final Duration interval;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread drip;
    private volatile long replaced;

    private SlowClients(URI base, Duration interval) {
        this.base = base;
        this.interval = interval;
        this.drip = new Thread(this::drip, "slow-clients");
        this.drip.setDaemon(true);
    }

    static SlowClients open(URI base, int connections, Duration interval) throws IOException {
        SlowClients c = new SlowClients(base, interval);
        for (int i = 0; i < connections; i++) {
            c.sockets.add(c.connect());
        }
        c.drip.start();
        return c;
    }

    /** Connections answered by the server (408, or closed) and opened again. */
    long replaced() {
        return replaced;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        String head = "POST " + base.getRawPath() + "new_stocks HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer bench\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private void drip() {
        while (!stop.get()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < sockets.size() && !stop.get(); i++) {
                Socket s = sockets.get(i);
                try {
                    if (s.getInputStream().available() > 0) {
                        throw new IOException("answered");
                    }
                    s.getOutputStream().write(' ');
                    s.getOutputStream().flush();
                } catch (IOException answeredOrClosed) {
                    closeQuietly(s);
                    try {
                        sockets.set(i, connect());
                        replaced++;
                    } catch (IOException e) {
                        // the server refuses connections: try again next round
                    }
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        drip.interrupt();
        drip.join(10_000);
        sockets.forEach(SlowClients::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
