package dev.dvemu.server.db;

/**
 * What {@link Database} asks before it commits: whether this thread's write must run in an explicit transaction so
 * that it can be stopped between its writes and its commit, and the stop itself. The test-control fault rules
 * ({@code dev.dvemu.server.control.Faults}) are the only implementation; without a matching rule the answer is a
 * single volatile read and the autocommit fast path is kept.
 */
public interface CommitGate {
    CommitGate NONE = new CommitGate() {
        @Override
        public boolean holdsCommit() {
            return false;
        }

        @Override
        public void beforeCommit() {
            // nothing to wait for
        }
    };

    /** True when the operation this thread runs must stop before its commit. */
    boolean holdsCommit();

    /** Called after the writes, before the commit, when {@link #holdsCommit()} said so; may wait. */
    void beforeCommit();
}
