package dev.dvemu.client;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a collection read: its rows, the total when {@code withCount()} asked for it, and the link to the
 * next page when there is one.
 *
 * <pre>{@code
 * Page page = dv.query(q);
 * while (true) {
 *     page.rows().forEach(...);
 *     Optional<Page> next = dv.nextPage(page);
 *     if (next.isEmpty()) break;
 *     page = next.get();
 * }
 * }</pre>
 */
public record Page(String entitySet, List<Row> rows, OptionalLong count, Optional<URI> nextLink, Optional<Integer> pageSize) {
    public Page {
        rows = List.copyOf(rows);
    }

    public boolean hasNext() {
        return nextLink.isPresent();
    }
}
