package dev.dvemu.server.api.query;

import dev.dvemu.server.api.RequestNormalizer;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.metadata.Catalog;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;
import dev.dvemu.server.metadata.ManyToMany;
import dev.dvemu.server.metadata.OneToMany;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.SortKey;
import dev.dvemu.server.store.SqlFragment;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceNavigation;
import org.apache.olingo.server.api.uri.UriResourceRef;
import org.apache.olingo.server.api.uri.queryoption.ExpandItem;
import org.apache.olingo.server.api.uri.queryoption.ExpandOption;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code $expand} as Dataverse takes it (dataverse-features.md §b), parsed into what the read adds to its rows: for a
 * lookup (single-valued), the related row with its {@code $select}ed columns; for the "many" side of a one-to-many
 * relationship (collection-valued), the related rows with {@code $select}, {@code $filter}, {@code $orderby} and
 * {@code $top}, each with expansions of its own. What Dataverse refuses inside an expand is refused with its code
 * (with a nested {@code $expand} anywhere, only {@code $select} and {@code $filter}; a many-to-many relationship only
 * alone and at the first level). {@code nav/$ref} on a lookup gives the related row's URL.
 */
public final class Expansions {
    /** Dataverse's limit on the {@code $expand} items of a query. */
    public static final int MAX_ITEMS = 15;
    public static final Expansions NONE = new Expansions(List.of());

    /** One expanded navigation property. */
    public sealed interface Item {
        String navigation();

        /** The columns each related row carries, the id among them. */
        List<ColumnDef> columns();

        /** The expansions of the related rows themselves: {@code $expand=a($expand=b)}. */
        Expansions nested();
    }

    /**
     * A lookup's reference: {@code $expand=primarycontactid/$ref} gives {@code {"@odata.id": "<URL of the row>"}} (or
     * null), and the row carries the lookup's {@code _primarycontactid_value}, selected or not (§b).
     */
    public record LookupReference(String navigation, ColumnDef lookup, TableDef target) implements Item {
        @Override
        public List<ColumnDef> columns() {
            return List.of();
        }

        @Override
        public Expansions nested() {
            return NONE;
        }
    }

    /** A lookup's row: {@code $expand=primarycontactid($select=fullname)}. */
    public record SingleValued(String navigation, ColumnDef lookup, TableDef target, List<ColumnDef> columns,
                               Optional<SqlFragment> filter, Expansions nested) implements Item {
    }

    /**
     * The related rows of a one-to-many or many-to-many relationship: {@code $expand=contact_customer_accounts($top=5)}.
     */
    public record CollectionValued(String navigation, CollectionNavigation relationship, List<ColumnDef> columns,
                                   Optional<SqlFragment> filter, List<SortKey> orderBy, Optional<Integer> top,
                                   String linkQuery, Expansions nested) implements Item {
    }

    private final List<Item> items;

    private Expansions(List<Item> items) {
        this.items = List.copyOf(items);
    }

    public List<Item> items() {
        return items;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The columns a row of {@code table} carries: {@code selected}, and the lookups expanded as references. */
    public List<ColumnDef> select(TableDef table, List<ColumnDef> selected) {
        List<ColumnDef> references = new ArrayList<>();
        for (Item item : items) {
            if (item instanceof LookupReference r && !selected.contains(r.lookup())) {
                references.add(r.lookup());
            }
        }
        if (references.isEmpty()) {
            return selected;
        }
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef c : table.columns()) {
            if (selected.contains(c) || references.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether any expansion has expansions of its own (Dataverse's nested mode). */
    public boolean hasNested() {
        return items.stream().anyMatch(i -> !i.nested().isEmpty());
    }

    /** The request's {@code $expand} on rows of {@code table}, checked; {@link #NONE} without one. */
    public static Expansions parse(Catalog catalog, TableDef table, UriInfo uriInfo, String rawQuery) {
        ExpandOption option = uriInfo.getExpandOption();
        if (option == null || option.getExpandItems() == null || option.getExpandItems().isEmpty()) {
            return NONE;
        }
        if (count(option) > MAX_ITEMS) {
            throw DataverseError.NOT_SUPPORTED.exception("The number of $expand options in the query exceeds the limit of "
                    + MAX_ITEMS + ".");
        }
        // any nested $expand switches Dataverse to the mode where expansions take only $select and $filter (§b)
        boolean nestedMode = option.getExpandItems().stream().anyMatch(Expansions::hasNested);
        return parse(catalog, table, uriInfo, option, nestedMode, rawExpand(rawQuery), 1);
    }

    private static int count(ExpandOption option) {
        int n = 0;
        for (ExpandItem e : option.getExpandItems()) {
            n += 1 + (hasNested(e) ? count(e.getExpandOption()) : 0);
        }
        return n;
    }

    private static boolean hasNested(ExpandItem e) {
        return e.getExpandOption() != null && e.getExpandOption().getExpandItems() != null
                && !e.getExpandOption().getExpandItems().isEmpty();
    }

    /** {@code rawExpand}: this level's {@code $expand} as the request wrote it, for the links that re-read expansions. */
    private static Expansions parse(Catalog catalog, TableDef table, UriInfo uriInfo, ExpandOption option, boolean nestedMode,
                                    String rawExpand, int level) {
        List<Item> items = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ExpandItem e : option.getExpandItems()) {
            if (e.isStar()) {
                throw Requests.notYet("$expand=*");
            }
            List<UriResource> path = e.getResourcePath() == null ? List.of() : e.getResourcePath().getUriResourceParts();
            boolean ref = e.isRef() || (path.size() == 2 && path.get(1) instanceof UriResourceRef);
            if (path.isEmpty() || path.size() > (ref ? 2 : 1) || !(path.get(0) instanceof UriResourceNavigation nav)) {
                throw DataverseError.NOT_SUPPORTED.exception("$expand names navigation properties of " + table.entitySetName() + ".");
            }
            String name = nav.getProperty().getName();
            if (!seen.add(name)) {
                throw DataverseError.NOT_SUPPORTED.exception("The navigation property '" + name + "' is expanded twice.");
            }
            if (e.getSkipOption() != null || e.getCountOption() != null || e.getSearchOption() != null || e.getLevelsOption() != null) {
                throw DataverseError.NOT_SUPPORTED.exception("Only $select, $filter, $orderby, $top and $expand are supported inside $expand.");
            }
            Optional<ColumnDef> lookup = table.lookupByNavigation(name);
            boolean ordered = e.getOrderByOption() != null || e.getTopOption() != null;
            if (ordered && (lookup.isPresent() || nestedMode)) {
                throw DataverseError.NOT_SUPPORTED.exception("Only $select and $filter clause can be provided while doing "
                        + "$expand on many-to-one relationship or nested one-to-many relationship.");
            }
            if (lookup.isPresent()) {
                TableDef target = catalog.require(lookup.get().lookupTarget());
                if (ref) {
                    if (e.getSelectOption() != null || e.getFilterOption() != null || hasNested(e)) {
                        throw DataverseError.NOT_SUPPORTED.exception("$expand=" + name + "/$ref takes no query options.");
                    }
                    items.add(new LookupReference(name, lookup.get(), target));
                    continue;
                }
                items.add(new SingleValued(name, lookup.get(), target, Requests.selected(target, e.getSelectOption()),
                        filter(target, uriInfo, e), nested(catalog, target, uriInfo, e, innerExpand(itemOptions(rawExpand, name)), level)));
                continue;
            }
            CollectionNavigation r = catalog.collectionNavigation(table, name).orElseThrow(() -> Requests.notYet("$expand of " + name));
            if (ref) {
                throw DataverseError.NOT_SUPPORTED.exception("Expand with $ref is only supported on lookup type navigation property.");
            }
            if (r instanceof ManyToMany.Side) {
                // Dataverse expands a many-to-many relationship only alone and at the first level (§b)
                if (level > 1 || hasNested(e)) {
                    throw DataverseError.NOT_SUPPORTED.exception("The many-to-many navigation property '" + name
                            + "' cannot be expanded inside another expansion or have expansions of its own.");
                }
                if (option.getExpandItems().size() > 1) {
                    throw DataverseError.NOT_SUPPORTED.exception("The many-to-many navigation property '" + name
                            + "' cannot be expanded together with other navigation properties.");
                }
            }
            TableDef target = r.related();
            List<ColumnDef> columns = new ArrayList<>(Requests.selected(target, e.getSelectOption()));
            if (r instanceof OneToMany one && !columns.contains(one.lookup())) {
                // the rows of a collection expansion carry their back-reference lookup, selected or not (§b)
                columns = withLookup(target, columns, one.lookup());
            }
            List<SortKey> order = e.getOrderByOption() == null ? List.of() : OrderBy.keys(target, e.getOrderByOption());
            Optional<Integer> top = e.getTopOption() == null ? Optional.empty() : Optional.of(e.getTopOption().getValue());
            // the query of the link that re-reads the expansion as a path: its own options (with its expansions in
            // nested mode, where the link pages); a single-level expansion's link carries no paging information
            String options = itemOptions(rawExpand, name);
            items.add(new CollectionValued(name, r, List.copyOf(columns), filter(target, uriInfo, e), order, top,
                    linkQuery(options, nestedMode), nested(catalog, target, uriInfo, e, innerExpand(options), level)));
        }
        return new Expansions(items);
    }

    private static Expansions nested(Catalog catalog, TableDef target, UriInfo uriInfo, ExpandItem e, String rawExpand, int level) {
        return hasNested(e) ? parse(catalog, target, uriInfo, e.getExpandOption(), true, rawExpand, level + 1) : NONE;
    }

    private static Optional<SqlFragment> filter(TableDef target, UriInfo uriInfo, ExpandItem e) {
        if (e.getFilterOption() == null || e.getFilterOption().getExpression() == null) {
            return Optional.empty();
        }
        return Optional.of(FilterTranslator.translate(target, uriInfo, e.getFilterOption().getExpression()));
    }

    /** The columns in table order, with the lookup added. */
    private static List<ColumnDef> withLookup(TableDef table, List<ColumnDef> columns, ColumnDef lookup) {
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef c : table.columns()) {
            if (columns.contains(c) || c.equals(lookup)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The request's {@code $expand} value, decoded ("" without one). */
    private static String rawExpand(String rawQuery) {
        String expand = "";
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && RequestNormalizer.decode(pair.substring(0, eq)).equals("$expand")) {
                expand = RequestNormalizer.decode(pair.substring(eq + 1));
            }
        }
        return expand;
    }

    /** The options of {@code navigation} in one level's {@code $expand} text: {@code a} of {@code nav(a)}; "" for none. */
    private static String itemOptions(String rawExpand, String navigation) {
        for (String item : splitTopLevel(rawExpand, ',')) {
            String trimmed = item.trim();
            int open = trimmed.indexOf('(');
            if (open > 0 && trimmed.substring(0, open).trim().equals(navigation) && trimmed.endsWith(")")) {
                return trimmed.substring(open + 1, trimmed.length() - 1);
            }
        }
        return "";
    }

    /** The {@code $expand} among an expansion's own options ("" for none). */
    private static String innerExpand(String options) {
        for (String option : splitTopLevel(options, ';')) {
            String o = option.trim();
            if (o.startsWith("$expand=")) {
                return o.substring("$expand=".length());
            }
        }
        return "";
    }

    /**
     * An expansion's own {@code $select}, {@code $filter} and {@code $orderby} (and in nested mode its {@code $expand}),
     * as the request wrote them, as the query of its {@code <nav>@odata.nextLink} (§b).
     */
    static String linkQuery(String options, boolean withExpand) {
        List<String> kept = new ArrayList<>();
        for (String option : splitTopLevel(options, ';')) {
            String o = option.trim();
            if (o.startsWith("$select=") || o.startsWith("$filter=") || o.startsWith("$orderby=")
                    || (withExpand && o.startsWith("$expand="))) {
                int eq = o.indexOf('=');
                kept.add(o.substring(0, eq + 1) + java.net.URLEncoder.encode(o.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return String.join("&", kept);
    }

    /** Splits at {@code separator} outside parentheses and quotes. */
    private static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
