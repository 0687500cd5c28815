package dev.dvemu.server.execution;

import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.Row;
import dev.dvemu.server.store.RowAddress;
import dev.dvemu.server.store.RowStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Associate and Disassociate along a collection-valued relationship, for every caller ({@code $ref} requests and
 * plug-ins' {@code OrganizationService}): a many-to-many relationship links rows through its intersect table; a
 * one-to-many one sets or clears the related row's lookup, an Update of that row as on Dataverse.
 */
public final class Links {
    /** How many times a one-to-many removal re-reads a row that changed between its read and its write. */
    private static final int ATTEMPTS = 6;

    private final Executor executor;
    private final UnitOfWork unit;
    private final Function<WriteOperation, WriteResult> write;

    /** {@code write} runs an operation as its caller runs them (with its options, at its depth). */
    public Links(Executor executor, UnitOfWork unit, Function<WriteOperation, WriteResult> write) {
        this.executor = executor;
        this.unit = unit;
        this.write = write;
    }

    /** Relates {@code related} to {@code parent}; a many-to-many pair already linked is 412 {@code 0x80040237}. */
    public void associate(CollectionNavigation r, UUID parent, UUID related) {
        if (r instanceof ManyToMany.Side side) {
            write.apply(new WriteOperation.Associate(side, parent, related));
        } else {
            OneToMany o = (OneToMany) r;
            setLookup(RowAddress.byId(o.referencing(), related), o.lookup(), parent, Precondition.EXISTS);
        }
    }

    /**
     * Removes the relation of {@code related} to {@code parent}, if there is one: removing a link that does not exist,
     * or a lookup that points elsewhere, changes nothing.
     */
    public void disassociate(CollectionNavigation r, UUID parent, UUID related) {
        if (r instanceof ManyToMany.Side side) {
            write.apply(new WriteOperation.Disassociate(side, parent, related));
            return;
        }
        OneToMany o = (OneToMany) r;
        RowAddress address = RowAddress.byId(o.referencing(), related);
        // cleared only while it still points at the parent: the version read is the compare-and-set's condition
        for (int attempt = 1; ; attempt++) {
            Row row = executor.find(unit, address, false).orElseThrow(() -> RowStore.notFound(address));
            if (!parent.equals(row.get(o.lookup()))) {
                return;
            }
            try {
                setLookup(address, o.lookup(), null, new Precondition.VersionEquals(row.version()));
                return;
            } catch (DataverseException e) {
                if (e.error() != DataverseError.CONCURRENCY_VERSION_MISMATCH || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Sets (or, with {@code null}, clears) one lookup of a row: an Update of that row alone. */
    public void setLookup(RowAddress row, ColumnDef lookup, UUID value, Precondition precondition) {
        Map<ColumnDef, Object> values = new LinkedHashMap<>();
        values.put(lookup, value);
        write.apply(new WriteOperation.Patch(row, new Payload(row.table(), Optional.empty(), values, Map.of()), precondition));
    }
}
