package dev.dvemu.server.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.CollectionNavigation;

/**
 * A property of a body that names a navigation property and does not bind one row to a lookup: rows nested under
 * it, or (for a collection-valued one) {@code nav@odata.bind} with rows to relate. A create reads them as a deep
 * insert; an update refuses them.
 */
sealed interface NavigationValue {
    String name();

    JsonNode value();

    /** {@code "primarycontactid": {...}}: a row nested under a lookup's navigation property. */
    record Single(ColumnDef lookup, JsonNode value) implements NavigationValue {
        @Override
        public String name() {
            return lookup.navigationProperty();
        }
    }

    /**
     * {@code "contact_customer_accounts": [{...}]}, or with {@code bind}
     * {@code "contact_customer_accounts@odata.bind": ["/contacts(<id>)"]}.
     */
    record Collection(CollectionNavigation relationship, JsonNode value, boolean bind) implements NavigationValue {
        @Override
        public String name() {
            return relationship.navigation();
        }
    }
}
