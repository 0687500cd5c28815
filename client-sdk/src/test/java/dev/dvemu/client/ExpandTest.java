package dev.dvemu.client;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code $expand} through the SDK against the built-in accounts and contacts: {@code parentcustomerid_account} (a
 * contact's lookup) ↔ {@code contact_customer_accounts} (an account's contacts), {@code primarycontactid}. Every test
 * works on its own rows.
 */
@Timeout(60)
@DvemuTest(reset = Reset.NEVER)
class ExpandTest {
    static Dvemu dvemu;

    private static final String CONTACTS = "contact_customer_accounts";
    private static final String PARENT = "parentcustomerid_account";

    private final DataverseClient dv = dvemu.client();

    private UUID account(String name) {
        return dv.create("accounts", RowValues.create().set("name", name));
    }

    private UUID contact(String name, UUID account) {
        RowValues v = RowValues.create().set("fullname", name);
        return dv.create("contacts", account == null ? v : v.bind(PARENT, RowRef.of("accounts", account)));
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> names(List<Row> rows, String column) {
        return rows.stream().map(r -> r.string(column).orElseThrow()).collect(Collectors.toList());
    }

    @Test
    void aLookupExpandsToItsRowWithTheSelectedColumnsOrToEmpty() {
        String tag = tag();
        UUID account = account("Contoso " + tag);
        contact("a with " + tag, account);
        contact("b without " + tag, null);

        List<Row> rows = dv.query(Query.from("contacts").select("fullname").filter(Filter.endsWith("fullname", tag))
                .orderBy("fullname").expand(PARENT, Expand.of().select("name"))).rows();

        assertEquals(2, rows.size());
        Row parent = rows.get(0).expandedRow(PARENT).orElseThrow();
        assertEquals(Optional.of("Contoso " + tag), parent.string("name"));
        assertEquals(Optional.of(account), parent.guid("accountid"));
        assertTrue(parent.etag().value().startsWith("W/\""), parent.toString());
        assertFalse(parent.json().has("revenue"), "only the selected columns: " + parent);
        assertEquals(Optional.empty(), rows.get(1).expandedRow(PARENT), "no related row: empty");
        IllegalStateException noSet = assertThrows(IllegalStateException.class, parent::entitySet);
        assertTrue(noSet.getMessage().startsWith("an expanded row names no entity set"), noSet.getMessage());
    }

    @Test
    void aRelationshipExpandsToItsRowsWithFilterOrderAndTopAndUsableETags() {
        UUID account = account("expand " + UUID.randomUUID());
        for (String name : List.of("Ann", "Bob", "Cid", "Dee", "O'Bryan; a=b & c")) {
            contact(name, account);
        }
        Query q = Query.from("accounts").select("name").filter(Filter.eq("accountid", account))
                .expand(CONTACTS, Expand.of().select("fullname")
                        .filter(Filter.ne("fullname", "Bob").and(Filter.ne("fullname", "O'Bryan; a=b & c")))
                        .orderByDescending("fullname").top(2));

        Row row = dv.query(q).rows().get(0);
        List<Row> contacts = row.expandedRows(CONTACTS);

        assertEquals(List.of("Dee", "Cid"), names(contacts, "fullname"));
        for (Row c : contacts) {
            assertEquals(Optional.of(account), c.guid("_parentcustomerid_value"), "each carries its back-reference");
        }
        Row dee = contacts.get(0);
        RowRef deeRef = RowRef.of("contacts", dee.guid("contactid").orElseThrow());
        dv.update(deeRef, RowValues.create().set("fullname", "Dee 2"), dee.etag());
        assertThrows(VersionConflictException.class,
                () -> dv.update(deeRef, RowValues.create().set("fullname", "Dee 3"), dee.etag()),
                "the expanded row's ETag is the row's version");
    }

    @Test
    void aRowWithoutRelatedRowsHasAnEmptyListAndSeveralPropertiesExpandTogether() {
        String tag = tag();
        UUID lonely = account("lonely " + tag);
        UUID busy = account("busy " + tag);
        UUID primary = contact("primary " + tag, busy);
        dv.update(RowRef.of("accounts", busy), RowValues.create().bind("primarycontactid", RowRef.of("contacts", primary)));

        List<Row> rows = dv.query(Query.from("accounts").select("name").filter(Filter.endsWith("name", tag))
                .orderBy("name").expand(CONTACTS, Expand.of().select("fullname")).expand("primarycontactid")).rows();

        assertEquals(List.of("busy " + tag, "lonely " + tag), names(rows, "name"));
        assertEquals(List.of("primary " + tag), names(rows.get(0).expandedRows(CONTACTS), "fullname"));
        assertEquals(Optional.of(primary), rows.get(0).expandedRow("primarycontactid").orElseThrow().guid("contactid"));
        assertEquals(List.of(), rows.get(1).expandedRows(CONTACTS));
        assertEquals(Optional.empty(), rows.get(1).expandedRow("primarycontactid"));
        assertEquals(Optional.of(lonely), rows.get(1).guid("accountid"));
    }

    @Test
    void anExpansionThatWasNotAskedForOrOfTheOtherKindIsRefused() {
        UUID account = account("refused " + UUID.randomUUID());
        contact("x", account);
        Row row = dv.query(Query.from("accounts").select("name").filter(Filter.eq("accountid", account))
                .expand(CONTACTS)).rows().get(0);

        IllegalArgumentException notAsked = assertThrows(IllegalArgumentException.class, () -> row.expandedRow("primarycontactid"));
        assertEquals("the row has no expansion primarycontactid: ask for it with Query.expand(\"primarycontactid\")",
                notAsked.getMessage());
        assertThrows(IllegalArgumentException.class, () -> row.expandedRows("name"), "a column is not an expansion");
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> row.expandedRow(CONTACTS));
        assertTrue(kind.getMessage().contains("use expandedRows"), kind.getMessage());
    }

    @Test
    void pagesOfAQueryWithExpansionsKeepTheirExpansions() {
        String tag = "pg-" + tag();
        List<UUID> accounts = List.of(account(tag + "-1"), account(tag + "-2"), account(tag + "-3"));
        for (UUID a : accounts) {
            contact("b-" + a, a);
            contact("a-" + a, a);
        }
        Query q = Query.from("accounts").select("name").filter(Filter.startsWith("name", tag)).orderBy("name")
                .expand(CONTACTS, Expand.of().select("fullname").orderBy("fullname").top(1)).pageSize(2);

        List<Page> pages = dv.pages(q).collect(Collectors.toList());

        assertEquals(2, pages.size());
        assertEquals(List.of(2, 1), pages.stream().map(p -> p.rows().size()).collect(Collectors.toList()));
        List<Row> rows = pages.stream().flatMap(p -> p.rows().stream()).collect(Collectors.toList());
        for (int i = 0; i < accounts.size(); i++) {
            assertEquals(Optional.of(accounts.get(i)), rows.get(i).guid("accountid"));
            assertEquals(List.of("a-" + accounts.get(i)), names(rows.get(i).expandedRows(CONTACTS), "fullname"),
                    "page " + (i / 2 + 1) + " row " + i);
        }
    }
}
