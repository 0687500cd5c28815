package dev.dvemu.server.schemaimport;


import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which entity types can become dvemu tables, and which navigation properties stand behind a lookup value. */
final class Importability {
    private static final Pattern NAVIGATION = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

    private Importability() {
    }

    /** Why {@code t} cannot be a dvemu table; empty when it can. */
    static Optional<String> whyNot(OrgSchema.EntityType t) {
        if (t.metadataType()) {
            return Optional.of("a metadata type (EntityDefinitions and the like), not a table");
        }
        if (!ColumnMapper.IDENTIFIER.matcher(t.name()).matches() || SqlKeywords.isReserved(t.name())) {
            return Optional.of("not a valid dvemu table name (lower case letters, digits, _; at most 50)");
        }
        if (t.entitySet().isEmpty()) {
            return Optional.of(t.isAbstract() ? "an abstract type without an entity set" : "no entity set");
        }
        if (!validName(t.entitySet().get())) {
            return Optional.of("entity set name '" + t.entitySet().get() + "' is not a valid name");
        }
        String id = t.name() + "id";
        if (!t.key().equals(List.of(id))) {
            return Optional.of("its key is " + (t.key().isEmpty() ? "missing" : "'" + String.join(",", t.key()) + "'")
                    + "; dvemu keys every table by '<logical name>id' ('" + id + "')");
        }
        if (t.properties().get(id) == null || !"Edm.Guid".equals(t.properties().get(id).getType())) {
            return Optional.of("its key '" + id + "' is not an Edm.Guid");
        }
        return Optional.empty();
    }

    static boolean validName(String s) {
        return NAVIGATION.matcher(s).matches();
    }

    /**
     * The single-valued navigation properties whose referential constraint names {@code valueProperty}
     * ({@code _parentcustomerid_value}), in document order: one for a plain lookup, several for a polymorphic one
     * (customer: account and contact).
     */
    static List<OrgSchema.Navigation> lookupNavigations(OrgSchema.EntityType t, String valueProperty) {
        return t.navigations().stream().filter(n -> !n.collection() && n.constrained().contains(valueProperty))
                .toList();
    }

    /** {@code x} of a lookup's value property {@code _x_value}; empty for other names. */
    static Optional<String> lookupColumn(String property) {
        if (property.length() > "__value".length() && property.startsWith("_") && property.endsWith("_value")) {
            return Optional.of(property.substring(1, property.length() - "_value".length()));
        }
        return Optional.empty();
    }
}
