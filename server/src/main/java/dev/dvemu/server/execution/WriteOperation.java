package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.Precondition;
import dev.dvemu.server.store.RowAddress;

import java.util.UUID;

/**
 * A write a request asks for, as a value: processors build one and hand it to the {@link Executor}, the only caller
 * of the store's writes, where plug-in steps run around it.
 */
public sealed interface WriteOperation {
    TableDef table();

    /** {@code POST <set>}: a new row, with the id the client chose if any. */
    record Create(TableDef table, Payload payload) implements WriteOperation {
    }

    /**
     * {@code PATCH <set>(<key>)}: under {@link Precondition.None} an upsert (Dataverse runs the Create or the Update
     * message, whichever it does), under {@link Precondition.Absent} a create only, otherwise an update.
     */
    record Patch(RowAddress address, Payload payload, Precondition precondition) implements WriteOperation {
        @Override
        public TableDef table() {
            return address.table();
        }
    }

    /** {@code PUT/DELETE <set>(<key>)/<column>}: sets one column of an existing row (an Update). */
    record SetColumn(RowAddress address, ColumnDef column, Object value) implements WriteOperation {
        @Override
        public TableDef table() {
            return address.table();
        }
    }

    /** A change to the links of a many-to-many relationship between the row {@code owner} and the row {@code related}. */
    sealed interface Link extends WriteOperation {
        ManyToMany.Side side();

        UUID owner();

        UUID related();

        @Override
        default TableDef table() {
            return side().owner();
        }
    }

    /**
     * {@code POST <set>(<id>)/<many-to-many navigation>/$ref}: links {@code owner} to {@code related} through the
     * relationship's intersect table (Dataverse's Associate message).
     */
    record Associate(ManyToMany.Side side, UUID owner, UUID related) implements Link {
    }

    /** {@code DELETE <set>(<id>)/<many-to-many navigation>(<id>)/$ref}: removes the link, if any (Disassociate). */
    record Disassociate(ManyToMany.Side side, UUID owner, UUID related) implements Link {
    }

    /** {@code DELETE <set>(<key>)}. */
    record Delete(RowAddress address, Precondition precondition) implements WriteOperation {
        @Override
        public TableDef table() {
            return address.table();
        }
    }
}
