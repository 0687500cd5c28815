package dev.dvemu.testkit;

/** When {@link DvemuTest} brings the emulator back to its fixture (empty tables, or the seed or snapshot). */
public enum Reset {
    /** Before every test method (the default): no test sees another test's rows, journal entries or faults. */
    EACH_TEST,
    /** Once, before the first test of the class; the tests of a class share what they write. */
    EACH_CLASS,
    /**
     * Never: the instance keeps whatever earlier classes that used the same instance wrote. For a class that manages
     * state itself (e.g. with {@link Dvemu#reset()} or {@link Dvemu#restore(String)}).
     */
    NEVER
}
