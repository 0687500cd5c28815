package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.store.RowAddress;

import java.util.List;

/**
 * Rows a deep insert relates to a new row through one of its collection-valued navigation properties: rows nested
 * under it, created with the new row ({@code "contact_customer_accounts": [{...}]}), and existing rows bound to it
 * ({@code "contact_customer_accounts@odata.bind": ["/contacts(<id>)"]}). Both become the referencing side of the
 * one-to-many relationship: their lookup points at the new row.
 */
public record RelatedRows(OneToMany relationship, List<NewRow> created, List<RowAddress> bound) {
    public RelatedRows {
        created = List.copyOf(created);
        bound = List.copyOf(bound);
    }
}
