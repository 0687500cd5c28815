package dev.dvemu.client;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterAndRefTest {
    private static final UUID ID = UUID.fromString("5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11");

    // ------------------------------------------------------------------------------------------------ literals

    @Test
    void aQuoteInAStringIsDoubled() {
        assertEquals("lastname eq 'O''Bryan'", Filter.eq("lastname", "O'Bryan").expression());
    }

    @Test
    void aStringWithoutQuotesIsQuoted() {
        assertEquals("name eq 'Amsterdam'", Filter.eq("name", "Amsterdam").expression());
        assertEquals("name eq ''", Filter.eq("name", "").expression());
    }

    @Test
    void integersAreWrittenBare() {
        assertEquals("numberofemployees gt 10", Filter.gt("numberofemployees", 10).expression());
        assertEquals("new_big ge 9007199254740993", Filter.ge("new_big", 9007199254740993L).expression());
        assertEquals("new_count lt -3", Filter.lt("new_count", -3).expression());
        assertEquals("new_small le 7", Filter.le("new_small", (short) 7).expression());
    }

    @Test
    void decimalsAreWrittenInPlainNotation() {
        assertEquals("revenue eq 12.50", Filter.eq("revenue", new BigDecimal("12.50")).expression());
        assertEquals("revenue eq 1000000", Filter.eq("revenue", new BigDecimal("1E+6")).expression());
        assertEquals("rate eq 1.5", Filter.eq("rate", 1.5).expression());
        assertEquals("rate eq 100000000000000000000", Filter.eq("rate", 1e20).expression());
        assertEquals("rate eq 0.25", Filter.eq("rate", 0.25f).expression());
    }

    @Test
    void booleansAreWrittenBare() {
        assertEquals("donotemail eq true", Filter.eq("donotemail", true).expression());
        assertEquals("donotemail ne false", Filter.ne("donotemail", false).expression());
    }

    @Test
    void guidsAreWrittenBare() {
        assertEquals("_new_stockid_value eq 5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11",
                Filter.eq("_new_stockid_value", ID).expression());
    }

    @Test
    void instantsAreWrittenAsUtcDateTimeOffsets() {
        assertEquals("createdon ge 2024-05-01T10:15:30Z",
                Filter.ge("createdon", Instant.parse("2024-05-01T10:15:30Z")).expression());
        assertEquals("createdon lt 2024-05-01T08:15:30Z",
                Filter.lt("createdon", OffsetDateTime.of(2024, 5, 1, 10, 15, 30, 0, ZoneOffset.ofHours(2))).expression());
    }

    @Test
    void datesAreWrittenBare() {
        assertEquals("birthdate eq 1990-02-28", Filter.eq("birthdate", LocalDate.of(1990, 2, 28)).expression());
    }

    @Test
    void nullIsTheNullLiteral() {
        assertEquals("parentaccountid eq null", Filter.eq("parentaccountid", null).expression());
        assertEquals("parentaccountid ne null", Filter.ne("parentaccountid", null).expression());
        assertEquals("parentaccountid eq null", Filter.isNull("parentaccountid").expression());
    }

    @Test
    void valuesWithoutALiteralFormAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Filter.eq("x", new Object()));
        assertThrows(IllegalArgumentException.class, () -> Filter.eq("x", 'c'));
    }

    @Test
    void stringFunctionsQuoteTheirText() {
        assertEquals("contains(name,'O''Bryan')", Filter.contains("name", "O'Bryan").expression());
        assertEquals("startswith(name,'A')", Filter.startsWith("name", "A").expression());
        assertEquals("endswith(name,'z''')", Filter.endsWith("name", "z'").expression());
    }

    // ------------------------------------------------------------------------------------------------ templates

    @Test
    void aTemplateWritesEachArgumentAsALiteral() {
        Filter f = Filter.of("a eq {0} and b eq {1}", "O'Bryan", 42);

        assertEquals("a eq 'O''Bryan' and b eq 42", f.expression());
    }

    @Test
    void aTemplateMayUseAnArgumentTwiceAndInAnyOrder() {
        Filter f = Filter.of("_new_stockid_value eq {1} and (new_status ne {0} or new_owner eq {1})", 100000002, ID);

        assertEquals("_new_stockid_value eq 5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11 and (new_status ne 100000002"
                + " or new_owner eq 5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)", f.expression());
    }

    @Test
    void aTemplateArgumentWithRegexReplacementCharactersStaysLiteral() {
        assertEquals("name eq 'costs $1 \\ more'", Filter.of("name eq {0}", "costs $1 \\ more").expression());
    }

    @Test
    void aTemplateArgumentThatLooksLikeAPlaceholderIsNotExpandedAgain() {
        assertEquals("a eq '{1}' and b eq 'x'", Filter.of("a eq {0} and b eq {1}", "{1}", "x").expression());
    }

    @Test
    void aTemplateWithAMissingArgumentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Filter.of("a eq {0} and b eq {1}", "only one"));
    }

    @Test
    void aTemplateAcceptsNull() {
        assertEquals("a eq null", Filter.of("a eq {0}", (Object) null).expression());
    }

    // ------------------------------------------------------------------------------------------------ injection

    @Test
    void anInjectionAttemptStaysInsideOneLiteral() {
        String attack = "x' or 1 eq 1 or 'a' eq 'a";

        assertEquals("name eq 'x'' or 1 eq 1 or ''a'' eq ''a'", Filter.eq("name", attack).expression());
        assertEquals("name eq 'x'' or 1 eq 1 or ''a'' eq ''a'", Filter.of("name eq {0}", attack).expression());
        assertEquals("contains(name,'x'' or 1 eq 1 or ''a'' eq ''a')", Filter.contains("name", attack).expression());
    }

    @Test
    void anInjectedLiteralHasBalancedQuotes() {
        String attack = "x' or 1 eq 1 or 'a' eq 'a";
        String expr = Filter.eq("name", attack).expression();
        String literal = expr.substring("name eq ".length());

        assertEquals('\'', literal.charAt(0));
        assertEquals('\'', literal.charAt(literal.length() - 1));
        String inside = literal.substring(1, literal.length() - 1);
        assertEquals("", inside.replace("''", "x").replaceAll("[^']", ""), "no lone quote inside the literal");
    }

    @Test
    void badColumnNamesAreRefused() {
        for (String bad : new String[]{"", "1abc", "name eq 'x' or 1 eq 1", "name)", "a b", "a'b", "a/", "/a",
                "a//b", "name;drop"}) {
            assertThrows(IllegalArgumentException.class, () -> Filter.eq(bad, 1), bad);
            assertThrows(IllegalArgumentException.class, () -> Filter.contains(bad, "x"), bad);
            assertThrows(IllegalArgumentException.class, () -> Filter.isNull(bad), bad);
        }
    }

    @Test
    void columnNamesWithUnderscoresAndLookupPathsAreAccepted() {
        assertEquals("_new_stockid_value eq 1", Filter.eq("_new_stockid_value", 1).expression());
        assertEquals("primarycontactid/fullname eq 'Joe'", Filter.eq("primarycontactid/fullname", "Joe").expression());
    }

    // ------------------------------------------------------------------------------------------------ combining

    @Test
    void andParenthesisesBothSides() {
        Filter f = Filter.eq("lastname", "O'Bryan").and(Filter.gt("numberofemployees", 10));

        assertEquals("(lastname eq 'O''Bryan') and (numberofemployees gt 10)", f.expression());
    }

    @Test
    void orParenthesisesBothSides() {
        assertEquals("(a eq 1) or (b eq 2)", Filter.eq("a", 1).or(Filter.eq("b", 2)).expression());
    }

    @Test
    void nestedCombinationsKeepTheirGrouping() {
        Filter f = Filter.eq("a", 1).or(Filter.eq("b", 2)).and(Filter.eq("c", 3));

        assertEquals("((a eq 1) or (b eq 2)) and (c eq 3)", f.expression());
    }

    @Test
    void negateParenthesises() {
        assertEquals("not ((a eq 1) or (b eq 2))", Filter.eq("a", 1).or(Filter.eq("b", 2)).negate().expression());
        assertEquals("not (a eq 1)", Filter.eq("a", 1).negate().expression());
    }

    @Test
    void allOfAndAnyOfJoinEveryFilter() {
        assertEquals("(a eq 1) and (b eq 2) and (c eq 3)",
                Filter.allOf(Filter.eq("a", 1), Filter.eq("b", 2), Filter.eq("c", 3)).expression());
        assertEquals("(a eq 1) or (b eq 2)", Filter.anyOf(Filter.eq("a", 1), Filter.eq("b", 2)).expression());
        assertEquals("(a eq 1)", Filter.allOf(Filter.eq("a", 1)).expression());
    }

    @Test
    void combiningNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, Filter::allOf);
        assertThrows(IllegalArgumentException.class, Filter::anyOf);
    }

    @Test
    void aCombinedTemplateKeepsItsOperatorsInsideItsParentheses() {
        Filter f = Filter.of("a eq {0} or b eq {0}", "x").and(Filter.eq("c", 3));

        assertEquals("(a eq 'x' or b eq 'x') and (c eq 3)", f.expression());
    }

    // ------------------------------------------------------------------------------------------------ RowRef

    @Test
    void aRowByIdHasTheIdInParentheses() {
        assertEquals("new_stocks(5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)", RowRef.of("new_stocks", ID).path());
    }

    @Test
    void anAlternateKeyStringIsQuotedWithItsQuoteDoubled() {
        assertEquals("accounts(accountnumber='A''1')", RowRef.byKey("accounts", "accountnumber", "A'1").path());
    }

    @Test
    void anAlternateKeyValueIsPercentEncodedWhereItMustBe() {
        assertEquals("accounts(accountnumber='A%201%26B%23%3F')", RowRef.byKey("accounts", "accountnumber", "A 1&B#?").path());
    }

    @Test
    void aCompositeKeyKeepsTheOrderOfItsParts() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("_new_stockid_value", ID);
        key.put("new_slotnumber", 3);
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("new_slotnumber", 3);
        reversed.put("_new_stockid_value", ID);

        assertEquals("new_bookingslots(_new_stockid_value=5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11,new_slotnumber=3)",
                RowRef.byKey("new_bookingslots", key).path());
        assertEquals("new_bookingslots(new_slotnumber=3,_new_stockid_value=5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)",
                RowRef.byKey("new_bookingslots", reversed).path());
    }

    @Test
    void aCompositeKeyWithStringsQuotesEachPart() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("firstname", "Joe");
        key.put("emailaddress1", "o'neil@example.com");

        assertEquals("contacts(firstname='Joe',emailaddress1='o''neil%40example.com')", RowRef.byKey("contacts", key).path());
    }

    @Test
    void anEmptyAlternateKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RowRef.byKey("accounts", Map.of()));
    }

    @Test
    void anAlternateKeyValueWithoutALiteralFormIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> RowRef.byKey("accounts", "accountnumber", new Object()));
    }

    @Test
    void badEntitySetNamesAreRefused() {
        for (String bad : new String[]{"", " ", "accounts(1)", "accounts/x"}) {
            assertThrows(IllegalArgumentException.class, () -> RowRef.of(bad, ID), bad);
            assertThrows(IllegalArgumentException.class, () -> RowRef.byKey(bad, "k", 1), bad);
        }
    }

    @Test
    void anOperationReferenceHasNoPath() {
        RowRef ref = RowRef.operation("booking");

        assertEquals("$booking", ref.toString());
        assertEquals("booking", ref.operationName().orElseThrow());
        assertThrows(IllegalStateException.class, ref::path);
    }

    @Test
    void refsToTheSameRowAreEqual() {
        assertEquals(RowRef.of("new_stocks", ID), RowRef.of("new_stocks", ID));
        assertEquals(RowRef.byKey("accounts", "accountnumber", "A-1"), RowRef.byKey("accounts", Map.of("accountnumber", "A-1")));
        assertEquals(RowRef.of("new_stocks", ID).hashCode(), RowRef.of("new_stocks", ID).hashCode());
    }

    // ------------------------------------------------------------------------------------------------ Query

    @Test
    void aQueryWithoutOptionsIsTheEntitySet() {
        assertEquals("accounts", Query.from("accounts").relativeUrl());
    }

    @Test
    void selectKeepsItsCommas() {
        assertEquals("accounts?$select=a,b", Query.from("accounts").select("a", "b").relativeUrl());
    }

    @Test
    void aFilterIsPercentEncodedWithSpacesAsPercent20() {
        Query q = Query.from("contacts").filter(Filter.eq("lastname", "O'Bryan"));

        assertEquals("contacts?$filter=lastname%20eq%20'O''Bryan'", q.relativeUrl());
    }

    @Test
    void userTextCannotAddQueryOptions() {
        Query q = Query.from("contacts").filter(Filter.eq("lastname", "x&$top=1#y+z%"));

        assertEquals("contacts?$filter=lastname%20eq%20'x%26$top%3D1%23y%2Bz%25'", q.relativeUrl());
    }

    @Test
    void allOptionsComeInAFixedOrder() {
        Query q = Query.from("new_bookings")
                .top(5)
                .orderByDescending("createdon")
                .orderBy("new_name")
                .filter(Filter.eq("_new_stockid_value", ID).and(Filter.ne("new_status", 100000002)))
                .select("new_name", "new_status")
                .withCount();

        assertEquals("new_bookings?$select=new_name,new_status"
                + "&$filter=(_new_stockid_value%20eq%205a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)%20and%20(new_status%20ne%20100000002)"
                + "&$orderby=createdon%20desc,new_name"
                + "&$top=5"
                + "&$count=true", q.relativeUrl());
    }

    @Test
    void aDateTimeInAFilterIsEncoded() {
        Query q = Query.from("accounts").filter(Filter.ge("createdon", Instant.parse("2024-05-01T10:15:30Z")));

        assertEquals("accounts?$filter=createdon%20ge%202024-05-01T10%3A15%3A30Z", q.relativeUrl());
    }

    @Test
    void thePageSizeIsNotPartOfTheUrl() {
        Query q = Query.from("accounts").select("name").pageSize(50);

        assertEquals("accounts?$select=name", q.relativeUrl());
        assertEquals(50, q.pageSizeValue().getAsInt());
    }

    @Test
    void pageSizesOutsideOneTo5000AreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Query.from("accounts").pageSize(0));
        assertThrows(IllegalArgumentException.class, () -> Query.from("accounts").pageSize(5001));
        assertThrows(IllegalArgumentException.class, () -> Query.from("accounts").top(-1));
    }

    @Test
    void aRelatedRowsQueryReadsTheNavigationPathWithItsOptions() {
        Query q = Query.related(RowRef.of("accounts", ID), "contact_customer_accounts")
                .select("fullname").filter(Filter.eq("fullname", "O'Bryan")).orderBy("fullname").top(3).withCount();

        assertEquals("accounts(5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)/contact_customer_accounts?$select=fullname"
                + "&$filter=fullname%20eq%20'O''Bryan'&$orderby=fullname&$top=3&$count=true", q.relativeUrl());
        assertEquals("accounts(5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11)/contact_customer_accounts", q.path());
        assertTrue(q.isRelated());
        assertThrows(IllegalStateException.class, q::entitySet);
        assertEquals("accounts", Query.from("accounts").path());
        assertFalse(Query.from("accounts").isRelated());
    }

    @Test
    void aQueryIsImmutable() {
        Query base = Query.from("accounts");
        base.select("name");
        base.filter(Filter.eq("a", 1));

        assertEquals("accounts", base.relativeUrl());
    }
}
