package dev.dvemu.server;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log of a server run from the command line, so that no request ever waits for its log line: a
 * {@link PrintStream} (installed as {@code System.err}, where the SLF4J backend writes) that puts each line on a
 * bounded queue, and a daemon thread that writes the queue to standard error or the {@code --log-file}. A tool that
 * starts the server and never reads its output fills the pipe; from then on the writer thread waits, and the
 * request threads do not: lines that find the queue full are dropped and counted, and the count is written as a
 * line of its own as soon as the writer can write again ({@code N log lines dropped: ...}).
 */
final class LogOutput implements AutoCloseable {
    /** Lines held while the writer cannot write (about 0.5 MB of access lines). */
    static final int CAPACITY = 4096;
    /** A longer line is queued in pieces. */
    private static final int MAX_CHUNK = 64 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");

    private final BlockingQueue<byte[]> queue;
    private final OutputStream target;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final PrintStream stream;
    private final Thread writer;
    private volatile boolean broken;

    LogOutput(OutputStream target, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.target = new BufferedOutputStream(target, 16 * 1024);
        this.stream = new PrintStream(new Lines(), false, StandardCharsets.UTF_8);
        this.writer = new Thread(this::drain, "dvemu-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Standard error, or {@code logFile} (appended to, created with its directory if missing). */
    static LogOutput open(Optional<Path> logFile) throws IOException {
        if (logFile.isEmpty()) {
            return new LogOutput(new FileOutputStream(FileDescriptor.err), CAPACITY);
        }
        Path file = logFile.get();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return new LogOutput(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), CAPACITY);
    }

    /** The stream to write log lines to; it never blocks on the output. */
    PrintStream stream() {
        return stream;
    }

    /** Lines dropped so far and not yet reported. */
    long droppedUnreported() {
        return dropped.get();
    }

    /** Waits up to {@code patience} for the lines queued so far to be written; false if they were not. */
    boolean flush(Duration patience) {
        stream.flush();
        long target = queued.get();
        long deadline = System.nanoTime() + patience.toNanos();
        while (written.get() < target && !broken && writer.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return written.get() >= target;
    }

    private void offer(byte[] chunk) {
        if (broken || !queue.offer(chunk)) {
            dropped.incrementAndGet();
        } else {
            queued.incrementAndGet();
        }
    }

    private void drain() {
        try {
            while (true) {
                byte[] chunk = queue.poll();
                if (chunk == null) {
                    target.flush();
                    chunk = queue.take();
                }
                target.write(chunk);
                long n = dropped.getAndSet(0);
                if (n > 0) {
                    target.write(droppedLine(n));
                }
                written.incrementAndGet();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            broken = true; // the reader is gone (a closed pipe): nothing can be written any more
            queue.clear();
        }
    }

    static byte[] droppedLine(long n) {
        return (OffsetDateTime.now().format(TIME) + " WARN log - " + n + " log line" + (n == 1 ? "" : "s")
                + " dropped: the log output (standard error or --log-file) was not taken as fast as it was written\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        flush(Duration.ofSeconds(2));
        writer.interrupt();
        try {
            writer.join(1000);
            target.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // nothing more to do
        }
    }

    /** Cuts what is written into lines; {@link PrintStream} calls it under its own lock. */
    private final class Lines extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n' || line.size() >= MAX_CHUNK) {
                push();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    line.write(b, off, i + 1 - off);
                    push();
                    len -= i + 1 - off;
                    off = i + 1;
                }
            }
            line.write(b, off, len);
            if (line.size() >= MAX_CHUNK) {
                push();
            }
        }

        /** What slf4j-simple writes ends with a newline, so a flush finds nothing pending; a partial line goes as it is. */
        @Override
        public synchronized void flush() {
            if (line.size() > 0) {
                push();
            }
        }

        private void push() {
            offer(line.toByteArray());
            line.reset();
        }
    }
}
