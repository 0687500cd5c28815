package dev.dvemu.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code clients} threads each run one task in a loop as fast as it answers, through a warm-up
 * (not counted) and a measured window. Every call reports how many attempts it took and whether it succeeded;
 * latencies of measured calls are kept per thread (no shared counters on the hot path) and merged at the end.
 */
final class Load {
    /** What one call did: attempts made (1 for a plain request) and whether it achieved its goal. */
    record Outcome(int attempts, boolean success) {
        static final Outcome OK = new Outcome(1, true);
        static final Outcome FAILED = new Outcome(1, false);
    }

    /** One client's task; {@code call()} runs once per loop iteration. */
    interface Task {
        Outcome call() throws Exception;
    }

    /** The measured window's figures. */
    record Result(int clients, double seconds, long calls, long successes, long attempts, long errors,
                  double p50Millis, double p99Millis, String firstError, CpuMeter.Sample cpu) {
        double callsPerSecond() {
            return calls / seconds;
        }

        double successesPerSecond() {
            return successes / seconds;
        }

        double attemptsPerSuccess() {
            return successes == 0 ? Double.NaN : (double) attempts / successes;
        }
    }

    private Load() {
    }

    /** Runs {@code taskFor.apply(clientIndex)} on {@code clients} threads; exceptions count as errors. */
    static Result run(int clients, Duration warmup, Duration measure, IntFunction<Task> taskFor) throws InterruptedException {
        return run(clients, warmup, measure, taskFor, null);
    }

    /** The same, with the CPU the processes spent during the measured window (not the warm-up) when a meter is given. */
    static Result run(int clients, Duration warmup, Duration measure, IntFunction<Task> taskFor, CpuMeter meter)
            throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch done = new CountDownLatch(clients);
        Worker[] workers = new Worker[clients];
        for (int i = 0; i < clients; i++) {
            workers[i] = new Worker(taskFor.apply(i), measuring, stop, ready, done);
            Thread t = new Thread(workers[i], "load-" + i);
            t.setDaemon(true);
            t.start();
        }
        ready.await();
        Thread.sleep(warmup.toMillis());
        CpuMeter.Sample cpuBefore = meter == null ? null : meter.sample();
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(measure.toMillis());
        // a window shorter than one call (a smoke run on a loaded machine) is stretched until a call has been counted,
        // so a figure of 0 means nothing finished in a minute, not that the window was short
        long longest = start + Duration.ofMinutes(1).toNanos();
        while (!anyCounted(workers) && System.nanoTime() < longest) {
            Thread.sleep(5);
        }
        measuring.set(false);
        long end = System.nanoTime();
        CpuMeter.Sample cpu = meter == null ? null : meter.sample().minus(cpuBefore);
        stop.set(true);
        done.await();
        long calls = 0;
        long successes = 0;
        long attempts = 0;
        long errors = 0;
        String firstError = "";
        List<long[]> latencies = new ArrayList<>();
        for (Worker w : workers) {
            if (firstError.isEmpty() && w.firstError != null) {
                firstError = w.firstError;
            }
            calls += w.calls;
            successes += w.successes;
            attempts += w.attempts;
            errors += w.errors;
            latencies.add(Arrays.copyOf(w.latencies, w.count));
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(clients, (end - start) / 1e9, calls, successes, attempts, errors,
                percentile(all, 0.50), percentile(all, 0.99), firstError, cpu);
    }

    private static boolean anyCounted(Worker[] workers) {
        for (Worker w : workers) {
            if (w.counted) {
                return true;
            }
        }
        return false;
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e6;
    }

    private static final class Worker implements Runnable {
        private final Task task;
        private final AtomicBoolean measuring;
        private final AtomicBoolean stop;
        private final CountDownLatch ready;
        private final CountDownLatch done;
        long calls;
        long successes;
        long attempts;
        long errors;
        long[] latencies = new long[1 << 14];
        int count;
        /** Whether a call has been counted in the window: written once, read by the thread that ends the window. */
        volatile boolean counted;
        String firstError;

        Worker(Task task, AtomicBoolean measuring, AtomicBoolean stop, CountDownLatch ready, CountDownLatch done) {
            this.task = task;
            this.measuring = measuring;
            this.stop = stop;
            this.ready = ready;
            this.done = done;
        }

        @Override
        public void run() {
            ready.countDown();
            try {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    Outcome o;
                    boolean error = false;
                    try {
                        o = task.call();
                    } catch (Exception e) {
                        o = Outcome.FAILED;
                        error = true;
                        if (firstError == null) {
                            firstError = e.toString();
                        }
                    }
                    long took = System.nanoTime() - t0;
                    if (measuring.get()) {
                        if (!counted) {
                            counted = true;
                        }
                        calls++;
                        attempts += o.attempts();
                        if (o.success()) {
                            successes++;
                        }
                        if (error) {
                            errors++;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = took;
                    }
                }
            } finally {
                done.countDown();
            }
        }
    }
}
