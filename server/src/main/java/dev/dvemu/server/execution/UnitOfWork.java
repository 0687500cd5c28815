package dev.dvemu.server.execution;

import dev.dvemu.server.db.Database;
import dev.dvemu.server.error.DataverseError;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One standalone request, or one {@code $batch} changeset: the transaction its operations share (when it has one),
 * the Content-IDs a changeset's operations declared (§5.2), and the id every operation of it and of its plug-ins is
 * correlated by. Everything that reads or writes does so through it, so whether work joins a transaction is decided
 * here, explicitly, and nowhere else. Confined to the thread that serves the request.
 *
 * <p>A standalone request runs in autocommit until something needs a transaction ({@link #inTransaction}: an
 * operation with plug-in steps); a changeset is one transaction from its first operation to its commit.
 */
public final class UnitOfWork {
    private final Database database;
    private final boolean changeset;
    private final Map<String, String> contentIds;
    private Connection transaction;
    private UUID correlationId;

    private UnitOfWork(Database database, boolean changeset) {
        this.database = database;
        this.changeset = changeset;
        this.contentIds = changeset ? new HashMap<>() : Map.of();
    }

    /** The unit of work of one request outside a changeset. */
    public static UnitOfWork standalone(Database database) {
        return new UnitOfWork(database, false);
    }

    /**
     * Runs {@code work} as one changeset: one transaction that every read and write of the unit joins, committed when
     * {@code work} returns and rolled back when it throws anything at all.
     */
    public static <T> T changeset(Database database, Function<UnitOfWork, T> work) {
        UnitOfWork unit = new UnitOfWork(database, true);
        return database.transaction(c -> {
            unit.transaction = c;
            try {
                return work.apply(unit);
            } finally {
                unit.transaction = null;
            }
        });
    }

    public boolean inChangeset() {
        return changeset;
    }

    /** True while the unit's operations run in an open transaction. */
    public boolean inTransaction() {
        return transaction != null;
    }

    /** Reads: in the open transaction if there is one, else in autocommit. */
    public <T> T read(Database.Work<T> work) {
        return transaction != null ? Database.joined(transaction, work) : database.read(work);
    }

    /**
     * One write: in the open transaction if there is one; else alone in autocommit (a single mutating statement is
     * atomic by itself; see {@link Database#write}).
     */
    public <T> T write(Database.Work<T> work) {
        return transaction != null ? Database.joined(transaction, work) : database.write(work);
    }

    /**
     * Runs {@code work} in a transaction: the open one, or a new one committed when {@code work} returns (after any
     * hold a fault rule puts before the commit) and rolled back when it throws.
     */
    public <T> T inTransaction(Supplier<T> work) {
        if (transaction != null) {
            return work.get();
        }
        return database.transaction(c -> {
            transaction = c;
            try {
                return work.get();
            } finally {
                transaction = null;
            }
        });
    }

    /** The id that correlates every operation of this unit and of the plug-ins it runs. */
    public UUID correlationId() {
        if (correlationId == null) {
            correlationId = UUID.randomUUID();
        }
        return correlationId;
    }

    /** Declares that {@code $contentId} names the row at {@code rowPath} ({@code new_bookings(<id>)}), in a changeset. */
    public void declareContentId(String contentId, String rowPath) {
        if (changeset && contentId != null) {
            contentIds.put(contentId, rowPath);
        }
    }

    /** The row path behind {@code $n}; 400 with Dataverse's message when no operation of this changeset declared it. */
    public String resolveContentId(String reference) {
        String id = reference.startsWith("$") ? reference.substring(1) : reference;
        String path = contentIds.get(id);
        if (path == null) {
            throw DataverseError.CONTENT_ID_NOT_FOUND.exception(reference);
        }
        return path;
    }

    /** Whether a URL or {@code @odata.bind} value is a Content-ID reference ({@code $1}, {@code $1/name}). */
    public static boolean isContentIdReference(String value) {
        return value.length() > 1 && value.charAt(0) == '$' && Character.isLetterOrDigit(value.charAt(1))
                && !value.startsWith("$metadata") && !value.startsWith("$batch");
    }
}
