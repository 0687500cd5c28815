package dev.dvemu.server.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.execution.NewRow;
import dev.dvemu.server.execution.RelatedRows;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the rows a create's body nests under navigation properties (deep insert, §3), level by level: each nested
 * object is read as a row of its own table, as the top row is. The JSON nesting limit of {@link PayloadReader}
 * bounds the depth; {@link #MAX_ROWS} bounds how many rows one request creates or relates.
 */
final class NestedRows {
    /** Rows one request may create or relate, the top row included. */
    static final int MAX_ROWS = 1000;

    private final PayloadReader reader;
    private final Catalog catalog;
    private final UnitOfWork unit;
    private int rows = 1;

    NestedRows(PayloadReader reader, Catalog catalog, UnitOfWork unit) {
        this.reader = reader;
        this.catalog = catalog;
        this.unit = unit;
    }

    /** The row {@code fields} were read from, with the rows under its navigation properties. */
    NewRow row(TableDef table, PayloadReader.Fields fields) {
        Map<ColumnDef, NewRow> referenced = new LinkedHashMap<>();
        List<RelatedRows> related = new ArrayList<>();
        for (NavigationValue navigation : fields.navigations()) {
            if (navigation instanceof NavigationValue.Single single) {
                ColumnDef lookup = single.lookup();
                if (fields.payload().values().containsKey(lookup) || fields.payload().keyBinds().containsKey(lookup)) {
                    throw PayloadReader.payloadError(table, "Microsoft.OData.ODataException: '" + single.name()
                            + "' is set twice: by a nested row and by '" + single.name() + "@odata.bind' or a value of '"
                            + lookup.name() + "'. Set it one way.");
                }
                TableDef target = catalog.require(lookup.lookupTarget());
                if (!single.value().isObject()) {
                    throw PayloadReader.expectedObject(table, single.name(), single.value());
                }
                referenced.put(lookup, nested(target, single.value(), Optional.empty()));
            } else {
                NavigationValue.Collection collection = (NavigationValue.Collection) navigation;
                related.add(collection.bind() ? bound(table, collection) : created(table, collection));
            }
        }
        return new NewRow(fields.payload(), referenced, related);
    }

    /** The rows nested in an array under a collection-valued navigation property. */
    private RelatedRows created(TableDef table, NavigationValue.Collection collection) {
        if (!collection.value().isArray()) {
            throw PayloadReader.expectedArray(table, collection.name(), collection.value());
        }
        CollectionNavigation relationship = collection.relationship();
        // a row under a one-to-many navigation is linked by its lookup, which it must leave to the deep insert
        Optional<OneToMany> parent = relationship instanceof OneToMany one ? Optional.of(one) : Optional.empty();
        List<NewRow> created = new ArrayList<>();
        for (JsonNode element : collection.value()) {
            if (!element.isObject()) {
                throw PayloadReader.expectedObject(table, collection.name(), element);
            }
            created.add(nested(relationship.related(), element, parent));
        }
        return new RelatedRows(relationship, created, List.of());
    }

    /** The existing rows named in {@code nav@odata.bind: [...]} of a collection-valued navigation property. */
    private RelatedRows bound(TableDef table, NavigationValue.Collection collection) {
        CollectionNavigation relationship = collection.relationship();
        TableDef referencing = relationship.related();
        if (!collection.value().isArray()) {
            throw PayloadReader.payloadError(table, "Microsoft.OData.ODataException: The value of '" + collection.name()
                    + "@odata.bind' must be an array of row URLs such as [\"/" + referencing.entitySetName() + "(<id>)\"].");
        }
        List<RowAddress> bound = new ArrayList<>();
        for (JsonNode element : collection.value()) {
            count();
            bound.add(reader.bindTarget(table, collection.name(), referencing, element, unit));
        }
        return new RelatedRows(relationship, List.of(), bound);
    }

    /**
     * A row nested in its parent's body; under a collection-valued navigation property ({@code parent} present) it
     * must leave the lookup to its parent to the deep insert.
     */
    private NewRow nested(TableDef table, JsonNode object, Optional<OneToMany> parent) {
        count();
        PayloadReader.Fields fields = reader.fields(object, table, unit);
        if (parent.isPresent() && setsLookup(fields, parent.get().lookup())) {
            throw setsItsParent(table, parent.get());
        }
        return fields.navigations().isEmpty() ? NewRow.of(fields.payload()) : row(table, fields);
    }

    private static boolean setsLookup(PayloadReader.Fields fields, ColumnDef lookup) {
        if (fields.payload().values().containsKey(lookup) || fields.payload().keyBinds().containsKey(lookup)) {
            return true;
        }
        for (NavigationValue navigation : fields.navigations()) {
            if (navigation instanceof NavigationValue.Single single && single.lookup().equals(lookup)) {
                return true;
            }
        }
        return false;
    }

    private static DataverseException setsItsParent(TableDef table, OneToMany relationship) {
        return PayloadReader.payloadError(table, "Microsoft.OData.ODataException: A " + table.logicalName()
                + " row nested in '" + relationship.collectionNavigation() + "' sets '" + relationship.singleNavigation()
                + "', the lookup that links it to the " + relationship.referenced().logicalName()
                + " row it is nested in. Leave it out: the deep insert sets it.");
    }

    private void count() {
        if (++rows > MAX_ROWS) {
            throw DataverseError.BAD_REQUEST.exception("A create may create or relate at most " + MAX_ROWS
                    + " rows in one request, its own row and the rows nested in it or bound to its collection-valued "
                    + "navigation properties included; send the rest in further requests.");
        }
    }
}
