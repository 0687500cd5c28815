package dev.dvemu.server.api.json;

import dev.dvemu.server.api.KeyPredicates;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a row reference as clients write it in {@code @odata.bind} and {@code @odata.id}: {@code /accounts(<id>)},
 * {@code accounts(<id>)}, an absolute URL with any scheme, host and port under {@code /api/data/v9.x/}, or any of
 * them with an alternate key (§3, §9).
 */
public final class References {
    private static final Pattern API_PREFIX = Pattern.compile("^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?(?:/api/data/v\\d+(?:\\.\\d+)?)?/?");
    private static final Pattern ROW = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\((.*)\\)$");

    private References() {
    }

    /** The row a reference names; a Content-ID ({@code $1}) is resolved in {@code unit}, its changeset. */
    public static Optional<RowAddress> parse(String reference, Catalog catalog, UnitOfWork unit) {
        String ref = reference.trim();
        if (UnitOfWork.isContentIdReference(ref)) {
            ref = unit.resolveContentId(ref);
        }
        String path = API_PREFIX.matcher(ref).replaceFirst("");
        Matcher m = ROW.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<TableDef> table = catalog.byEntitySet(m.group(1));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        String predicate = URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
        return Optional.of(KeyPredicates.resolve(table.get(), predicate));
    }
}
