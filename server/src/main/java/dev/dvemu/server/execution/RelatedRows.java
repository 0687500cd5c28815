package dev.dvemu.server.execution;

import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.store.RowAddress;

import java.util.List;

/**
 * Rows a deep insert relates to a new row through one of its collection-valued navigation properties: rows nested
 * under it, created with the new row ({@code "contact_customer_accounts": [{...}]}), and existing rows bound to it
 * ({@code "contact_customer_accounts@odata.bind": ["/contacts(<id>)"]}). Both become related to the new row: through
 * their lookup (one-to-many) or a link in the intersect table (many-to-many).
 */
public record RelatedRows(CollectionNavigation relationship, List<NewRow> created, List<RowAddress> bound) {
    public RelatedRows {
        created = List.copyOf(created);
        bound = List.copyOf(bound);
    }
}
