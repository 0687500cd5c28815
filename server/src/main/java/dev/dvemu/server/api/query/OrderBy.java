package dev.dvemu.server.api.query;

import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.SortKey;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.OrderByOption;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;

import java.util.ArrayList;
import java.util.List;

/** {@code $orderby} (of a query or inside an {@code $expand}) as sort keys: columns of the table only (§8). */
public final class OrderBy {
    private OrderBy() {
    }

    public static List<SortKey> keys(TableDef table, OrderByOption option) {
        List<SortKey> keys = new ArrayList<>();
        if (option == null) {
            return keys;
        }
        for (OrderByItem item : option.getOrders()) {
            if (!(item.getExpression() instanceof Member m)) {
                throw DataverseError.NOT_SUPPORTED.exception("$orderby may only name columns.");
            }
            List<UriResource> parts = m.getResourcePath().getUriResourceParts();
            if (parts.size() != 1 || !(parts.get(0) instanceof UriResourcePrimitiveProperty p)) {
                throw DataverseError.NOT_SUPPORTED.exception("$orderby may only name columns of " + table.entitySetName() + ".");
            }
            String name = p.getProperty().getName();
            ColumnDef column = table.columnByProperty(name).orElseThrow(() ->
                    DataverseError.PROPERTY_NOT_FOUND.exception(name, table.qualifiedTypeName()));
            if (keys.stream().noneMatch(k -> k.column().equals(column))) {
                keys.add(new SortKey(column, item.isDescending()));
            }
        }
        return keys;
    }
}
