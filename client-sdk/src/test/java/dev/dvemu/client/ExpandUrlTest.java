package dev.dvemu.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@link Query#expand} is written into the URL: each expansion's options inside parentheses, values encoded. */
class ExpandUrlTest {
    @Test
    void expansionsAreRenderedWithTheirOwnOptionsAndEncodedLiterals() {
        Query q = Query.from("accounts").select("name")
                .expand("contact_customer_accounts", Expand.of().select("fullname", "emailaddress1")
                        .filter(Filter.eq("lastname", "O'Bryan & Co")).orderByDescending("fullname").orderBy("contactid").top(2))
                .expand("primarycontactid")
                .withCount();
        assertEquals("accounts?$select=name&$expand=contact_customer_accounts($select=fullname,emailaddress1;"
                        + "$filter=lastname%20eq%20'O''Bryan%20%26%20Co';$orderby=fullname%20desc,contactid;$top=2),"
                        + "primarycontactid&$count=true",
                q.relativeUrl());
    }

    @Test
    void anExpansionWithoutOptionsIsItsNameAlone() {
        assertEquals("contacts?$expand=parentcustomerid_account",
                Query.from("contacts").expand("parentcustomerid_account", Expand.of()).relativeUrl());
    }

    @Test
    void theQueryAndTheOptionsStayImmutable() {
        Query base = Query.from("accounts");
        Expand names = Expand.of().select("fullname");
        base.expand("contact_customer_accounts", names.top(1));
        names.orderBy("fullname");
        assertEquals("accounts", base.relativeUrl());
        assertEquals("accounts?$expand=contact_customer_accounts($select=fullname)",
                base.expand("contact_customer_accounts", names).relativeUrl());
    }

    @Test
    void aPropertyIsExpandedOnceAndMustBeANavigationName() {
        Query q = Query.from("accounts").expand("primarycontactid");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> q.expand("primarycontactid"));
        assertEquals("primarycontactid is expanded already", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.expand("contacts($select=x)"));
        assertThrows(IllegalArgumentException.class, () -> Expand.of().top(-1));
    }
}
