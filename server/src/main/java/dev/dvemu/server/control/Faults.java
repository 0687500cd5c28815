package dev.dvemu.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.db.CommitGate;
import dev.dvemu.server.metadata.Catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fault rules of this server instance ({@code /_dvemu/faults}), in memory, and the points where they act on
 * an operation — a standalone request or one {@code $batch} part:
 * <ol>
 * <li>{@link #begin}: the operation starts; a rule may answer instead of it ({@code respond}), delay it
 * ({@code latencyMs}) or hold it ({@code beforeWrite}); {@code beforeCommit}, {@code beforeAnswer} and
 * {@code drop} rules are noted for later;</li>
 * <li>{@link #holdsCommit()}/{@link #beforeCommit()} ({@link CommitGate}): the database is about to commit;</li>
 * <li>{@link #settled}: a batch part (or its changeset) ended, committed or not;</li>
 * <li>{@link #beforeAnswer}: the answer is about to be written; says whether to drop the connection instead;</li>
 * <li>{@link #end}: the request is over.</li>
 * </ol>
 * With no rule every point costs one volatile read. What a request's matched rules still have to do lives in a
 * per-thread {@link Scope}, created only when a rule matched.
 */
public final class Faults implements CommitGate {
    private static final FaultRule[] NONE = new FaultRule[0];

    private volatile FaultRule[] rules = NONE;
    /** Set once a rule was ever added: from then on {@link #end} clears the thread's scope. */
    private volatile boolean used;
    private long nextId = 1;
    private final Holds holds = new Holds();
    private final ThreadLocal<Scope> scope = new ThreadLocal<>();

    /** What the matched rules of the current request still have to do. */
    private static final class Scope {
        final List<FaultRule.Hold> commitHolds = new ArrayList<>(2);
        final List<FaultRule.Hold> answerHolds = new ArrayList<>(2);
        boolean dropPending;
        boolean drop;
    }

    public Holds holds() {
        return holds;
    }

    /** True when at least one rule exists. */
    public boolean active() {
        return rules.length != 0;
    }

    /** Adds the rule {@code body} describes; {@link FaultRule.Invalid} naming the bad field otherwise. */
    public synchronized FaultRule add(JsonNode body, Catalog catalog) {
        FaultRule rule = FaultRule.parse(nextId, body, catalog);
        nextId++;
        FaultRule[] next = Arrays.copyOf(rules, rules.length + 1);
        next[next.length - 1] = rule;
        used = true;
        rules = next;
        return rule;
    }

    public List<FaultRule> rules() {
        return List.of(rules);
    }

    public Optional<FaultRule> rule(long id) {
        for (FaultRule r : rules) {
            if (r.id == id) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Removes rule {@code id}; false when there is none. */
    public synchronized boolean remove(long id) {
        FaultRule[] current = rules;
        FaultRule[] next = Arrays.stream(current).filter(r -> r.id != id).toArray(FaultRule[]::new);
        rules = next;
        return next.length != current.length;
    }

    /** Removes every rule and releases everything held. */
    public synchronized void clear() {
        rules = NONE;
        holds.reset();
    }

    /**
     * An operation starts: {@code path} is its path below {@code /api/data/v9.x/} (no leading slash, no query).
     * Applies latency and {@code beforeWrite} holds here; returns the answer a {@code respond} rule gives instead of
     * running the operation, or null.
     */
    public FaultRule.Respond begin(String method, String path, boolean inChangeset) {
        FaultRule[] current = rules;
        if (current.length == 0) {
            return null;
        }
        String table = Journal.entitySet(path);
        for (FaultRule rule : current) {
            if (!rule.tryMatch(method, table, path, inChangeset)) {
                continue;
            }
            if (rule.respond != null) {
                return rule.respond;
            }
            if (rule.latencyMs != null) {
                sleep(rule.latencyMs);
            } else if (rule.drop) {
                scope().dropPending = true;
            } else if (rule.hold != null) {
                switch (rule.hold.at()) {
                    case BEFORE_WRITE -> hold(rule.hold);
                    case BEFORE_COMMIT -> scope().commitHolds.add(rule.hold);
                    case BEFORE_ANSWER -> scope().answerHolds.add(rule.hold);
                }
            }
        }
        return null;
    }

    @Override
    public boolean holdsCommit() {
        if (rules.length == 0) {
            return false;
        }
        Scope s = scope.get();
        return s != null && !s.commitHolds.isEmpty();
    }

    @Override
    public void beforeCommit() {
        Scope s = scope.get();
        if (s == null) {
            return;
        }
        for (FaultRule.Hold h : s.commitHolds) {
            hold(h);
        }
        s.commitHolds.clear();
    }

    /** A batch part or changeset ended: a pending drop becomes due only if it succeeded (its writes committed). */
    public void settled(boolean succeeded) {
        if (!used) {
            return;
        }
        Scope s = scope.get();
        if (s != null) {
            s.drop |= s.dropPending && succeeded;
            s.dropPending = false;
            s.commitHolds.clear();
        }
    }

    /**
     * The answer is about to be written ({@code succeeded}: a status below 400): waits at the {@code beforeAnswer}
     * holds, then says whether the connection must be closed without an answer.
     */
    public boolean beforeAnswer(boolean succeeded) {
        if (!used) {
            return false;
        }
        Scope s = scope.get();
        if (s == null) {
            return false;
        }
        settled(succeeded);
        for (FaultRule.Hold h : s.answerHolds) {
            hold(h);
        }
        s.answerHolds.clear();
        return s.drop;
    }

    /** The request is over. */
    public void end() {
        if (used) {
            scope.remove();
        }
    }

    private Scope scope() {
        Scope s = scope.get();
        if (s == null) {
            s = new Scope();
            scope.set(s);
        }
        return s;
    }

    private void hold(FaultRule.Hold h) {
        holds.hold(h.name(), h.releaseWhen(), h.timeoutMs());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
