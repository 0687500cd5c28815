package dev.dvemu.testkit;

/**
 * Prints how long the testkit takes to get an emulator ready, in a fresh JVM: the first instance (class loader,
 * embedded PostgreSQL, database, server), an extra instance for a concurrent class (database and server only), and a
 * reset. Not a test: run it with the test class path, e.g.
 * {@code java -cp <testkit jar>:<test classes>:<dependencies> dev.dvemu.testkit.StartupBench}.
 */
public final class StartupBench {
    private StartupBench() {
    }

    public static void main(String[] args) {
        DvemuConfig config = DvemuConfig.defaults();
        long t0 = System.nanoTime();
        Instances instances = Instances.get();
        long loader = ms(t0);
        Dvemu first = instances.lease(config);
        long firstMs = ms(t0);
        long t1 = System.nanoTime();
        Dvemu second = instances.lease(config);
        long secondMs = ms(t1);
        long t2 = System.nanoTime();
        Dvemu third = instances.lease(config);
        long thirdMs = ms(t2);
        int resets = 50;
        long t3 = System.nanoTime();
        for (int i = 0; i < resets; i++) {
            first.reset();
        }
        double resetMs = ms(t3) / (double) resets;
        System.out.printf("isolated class loader: %s%n", instances.bridge().isolated());
        System.out.printf("first instance ready (server class loader, embedded PostgreSQL, database, server): %d ms"
                + " (of which class loader %d ms, PostgreSQL %d ms)%n", firstMs, loader, instances.clusterStartMs());
        System.out.printf("extra instance for a concurrent class (database + server): %d ms, another: %d ms%n", secondMs, thirdMs);
        System.out.printf("reset (empty tables, journal and faults cleared), mean of %d: %.1f ms%n", resets, resetMs);
        instances.release(first);
        instances.release(second);
        instances.release(third);
        System.exit(0);
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
