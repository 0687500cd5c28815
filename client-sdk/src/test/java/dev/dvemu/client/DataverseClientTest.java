package dev.dvemu.client;

import dev.dvemu.client.support.CountingHttpClient;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's CRUD, alternate keys, lookups and queries against a real emulator. Every test works on rows it
 * creates itself, with unique names.
 */
@Timeout(60)
@DvemuTest(reset = Reset.NEVER)
class DataverseClientTest {
    static Dvemu dvemu;

    private static final String STOCKS = "new_stocks";
    private static final String SLOTS = "new_bookingslots";
    private static final String ACCOUNTS = "accounts";
    private static final String CONTACTS = "contacts";
    private static final String VERSION_MISMATCH = "0x80060882";
    private static final String VERSION_MISMATCH_MESSAGE =
            "The version of the existing record doesn't match the RowVersion property provided.";

    private final DataverseClient dv = dvemu.client();

    private static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID();
    }

    /** An alternate-key value that fits accountnumber (20 characters). */
    private static String uniqueAccountNumber() {
        return "A-" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    }

    private UUID newStock(String name, int available, int booked) {
        return dv.create(STOCKS, RowValues.create().set("new_name", name)
                .set("new_availablecount", available).set("new_bookedcount", booked));
    }

    private Row read(RowRef ref) {
        return dv.retrieve(ref).orElseThrow(() -> new AssertionError("no row " + ref));
    }

    @Nested
    class Create {
        @Test
        void createReturnsTheIdOfTheNewRow() {
            String name = unique("create");
            UUID id = newStock(name, 12, 5);

            Row row = read(RowRef.of(STOCKS, id));
            assertEquals(Optional.of(id), row.id("new_stockid"));
            assertEquals(Optional.of(name), row.string("new_name"));
        }

        @Test
        void createAndReturnReturnsTheStoredRowWithItsEtag() {
            String name = unique("create and return");
            Row row = dv.createAndReturn(STOCKS, RowValues.create().set("new_name", name)
                    .set("new_availablecount", 12).set("new_bookedcount", 5));

            UUID id = row.id("new_stockid").orElseThrow();
            assertEquals(Optional.of(name), row.string("new_name"));
            assertEquals(12, row.integer("new_availablecount").getAsInt());
            assertEquals(5, row.integer("new_bookedcount").getAsInt());
            assertEquals(read(RowRef.of(STOCKS, id)).etag(), row.etag());
        }

        @Test
        void createAndReturnReturnsOnlyTheSelectedColumns() {
            Row row = dv.createAndReturn(STOCKS, RowValues.create().set("new_name", unique("select"))
                    .set("new_availablecount", 12).set("new_bookedcount", 5), "new_availablecount");

            assertEquals(12, row.integer("new_availablecount").getAsInt());
            assertFalse(row.json().has("new_name"), () -> "not selected, yet returned: " + row);
            assertFalse(row.json().has("new_bookedcount"), () -> "not selected, yet returned: " + row);
            assertTrue(row.json().hasNonNull("@odata.etag"), () -> "no ETag: " + row);
        }

        @Test
        void aSecondRowWithTheSameAlternateKeyIsADuplicate() {
            String number = uniqueAccountNumber();
            dv.create(ACCOUNTS, RowValues.create().set("name", unique("first")).set("accountnumber", number));

            DuplicateRecordException e = assertThrows(DuplicateRecordException.class, () ->
                    dv.create(ACCOUNTS, RowValues.create().set("name", unique("second")).set("accountnumber", number)));

            assertEquals(412, e.status());
            assertEquals("0x80060892", e.code());
            assertEquals(1, dv.count(Query.from(ACCOUNTS).filter(Filter.eq("accountnumber", number))));
        }
    }

    @Nested
    class Retrieve {
        @Test
        void retrieveReadsEveryColumn() {
            String name = unique("retrieve");
            UUID id = newStock(name, 12, 5);

            Row row = read(RowRef.of(STOCKS, id));

            assertEquals(Optional.of(name), row.string("new_name"));
            assertEquals(12, row.integer("new_availablecount").getAsInt());
            assertEquals(5, row.integer("new_bookedcount").getAsInt());
            assertTrue(row.json().hasNonNull("createdon"), () -> "no createdon: " + row);
            assertTrue(row.json().hasNonNull("@odata.etag"), () -> "no ETag: " + row);
        }

        @Test
        void retrieveReadsOnlyTheSelectedColumns() {
            UUID id = newStock(unique("retrieve selected"), 12, 5);

            Row row = dv.retrieve(RowRef.of(STOCKS, id), "new_availablecount").orElseThrow();

            assertEquals(12, row.integer("new_availablecount").getAsInt());
            assertFalse(row.json().has("new_name"), () -> "not selected, yet returned: " + row);
            assertFalse(row.json().has("new_bookedcount"), () -> "not selected, yet returned: " + row);
            assertTrue(row.json().hasNonNull("@odata.etag"), () -> "no ETag: " + row);
        }

        @Test
        void retrieveOfAMissingRowIsEmpty() {
            assertEquals(Optional.empty(), dv.retrieve(RowRef.of(STOCKS, UUID.randomUUID())));
        }
    }

    @Nested
    class Update {
        @Test
        void updateWithoutAnEtagWritesWhateverTheVersion() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("update *"), 12, 5));
            ETag before = read(ref).etag();
            dv.update(ref, RowValues.create().set("new_availablecount", 11)); // someone else's write

            dv.update(ref, RowValues.create().set("new_availablecount", 10).set("new_bookedcount", 7));

            Row after = read(ref);
            assertEquals(10, after.integer("new_availablecount").getAsInt());
            assertEquals(7, after.integer("new_bookedcount").getAsInt());
            assertNotEquals(before, after.etag());
        }

        @Test
        void updateWithTheCurrentEtagWrites() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("update etag"), 12, 5));
            ETag current = read(ref).etag();

            dv.update(ref, RowValues.create().set("new_availablecount", 11).set("new_bookedcount", 6), current);

            Row after = read(ref);
            assertEquals(11, after.integer("new_availablecount").getAsInt());
            assertEquals(6, after.integer("new_bookedcount").getAsInt());
            assertNotEquals(current, after.etag());
        }

        @Test
        void updateWithAStaleEtagIsAVersionConflictAndWritesNothing() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("update stale"), 12, 5));
            ETag stale = read(ref).etag();
            dv.update(ref, RowValues.create().set("new_availablecount", 11), stale);

            VersionConflictException e = assertThrows(VersionConflictException.class,
                    () -> dv.update(ref, RowValues.create().set("new_availablecount", 99), stale));

            assertEquals(412, e.status());
            assertEquals(VERSION_MISMATCH, e.code());
            assertEquals(VERSION_MISMATCH_MESSAGE, e.getMessage());
            assertEquals(1, e.attempts());
            assertEquals(11, read(ref).integer("new_availablecount").getAsInt());
        }

        @Test
        void updateOfAMissingRowIsNotFoundAndCreatesNothing() {
            UUID id = UUID.randomUUID();

            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> dv.update(RowRef.of(STOCKS, id), RowValues.create().set("new_name", "ghost")));

            assertEquals(404, e.status());
            assertEquals("0x80040217", e.code());
            assertEquals(Optional.empty(), dv.retrieve(RowRef.of(STOCKS, id)));
        }
    }

    @Nested
    class Upsert {
        @Test
        void upsertOfAMissingRowCreatesIt() {
            UUID id = UUID.randomUUID();
            String name = unique("upsert create");

            DataverseClient.UpsertResult r = dv.upsert(RowRef.of(STOCKS, id),
                    RowValues.create().set("new_name", name).set("new_availablecount", 3));

            assertTrue(r.created());
            assertEquals(Optional.of(id), r.row().id("new_stockid"));
            assertEquals(Optional.of(name), read(RowRef.of(STOCKS, id)).string("new_name"));
        }

        @Test
        void upsertOfAnExistingRowUpdatesIt() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("upsert update"), 12, 5));

            DataverseClient.UpsertResult r = dv.upsert(ref, RowValues.create().set("new_availablecount", 4));

            assertFalse(r.created());
            assertEquals(4, r.row().integer("new_availablecount").getAsInt());
            Row stored = read(ref);
            assertEquals(4, stored.integer("new_availablecount").getAsInt());
            assertEquals(5, stored.integer("new_bookedcount").getAsInt());
        }

        @Test
        void createOnlyUpsertOfAnExistingRowIsADuplicateAndChangesNothing() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("create only"), 12, 5));

            DuplicateRecordException e = assertThrows(DuplicateRecordException.class,
                    () -> dv.upsert(ref, RowValues.create().set("new_availablecount", 0), UpsertMode.CREATE_ONLY));

            assertEquals(412, e.status());
            assertEquals("0x80040237", e.code());
            assertEquals(12, read(ref).integer("new_availablecount").getAsInt());
        }

        @Test
        void updateOnlyUpsertOfAMissingRowIsNotFoundAndCreatesNothing() {
            RowRef ref = RowRef.of(STOCKS, UUID.randomUUID());

            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> dv.upsert(ref, RowValues.create().set("new_name", "ghost"), UpsertMode.UPDATE_ONLY));

            assertEquals(404, e.status());
            assertEquals(Optional.empty(), dv.retrieve(ref));
        }
    }

    @Nested
    class Delete {
        @Test
        void deleteRemovesTheRow() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("delete"), 1, 0));

            dv.delete(ref);

            assertEquals(Optional.empty(), dv.retrieve(ref));
        }

        @Test
        void deleteOfAMissingRowIsNotFound() {
            assertThrows(NotFoundException.class, () -> dv.delete(RowRef.of(STOCKS, UUID.randomUUID())));
        }

        @Test
        void conditionalDeleteWithTheCurrentEtagRemovesTheRow() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("delete etag"), 1, 0));

            dv.delete(ref, read(ref).etag());

            assertEquals(Optional.empty(), dv.retrieve(ref));
        }

        @Test
        void conditionalDeleteWithAStaleEtagIsAVersionConflictAndKeepsTheRow() {
            RowRef ref = RowRef.of(STOCKS, newStock(unique("delete stale"), 1, 0));
            ETag stale = read(ref).etag();
            dv.update(ref, RowValues.create().set("new_availablecount", 2));

            VersionConflictException e = assertThrows(VersionConflictException.class, () -> dv.delete(ref, stale));

            assertEquals(412, e.status());
            assertEquals(VERSION_MISMATCH, e.code());
            assertEquals(2, read(ref).integer("new_availablecount").getAsInt());
        }
    }

    @Nested
    class Lookups {
        @Test
        void bindSetsALookupAndUnbindClearsIt() {
            UUID contact = dv.create(CONTACTS, RowValues.create().set("firstname", "Ada").set("lastname", unique("Lovelace")));
            RowRef account = RowRef.of(ACCOUNTS, dv.create(ACCOUNTS, RowValues.create().set("name", unique("bound"))
                    .bind("primarycontactid", RowRef.of(CONTACTS, contact))));

            assertEquals(Optional.of(contact), read(account).guid("_primarycontactid_value"));

            dv.update(account, RowValues.create().unbind("primarycontactid"));

            assertEquals(Optional.empty(), read(account).guid("_primarycontactid_value"));
        }

        @Test
        void bindByAlternateKeyResolvesTheRow() {
            String number = uniqueAccountNumber();
            UUID account = dv.create(ACCOUNTS, RowValues.create().set("name", unique("parent")).set("accountnumber", number));

            UUID contact = dv.create(CONTACTS, RowValues.create().set("lastname", unique("child"))
                    .bind("parentcustomerid_account", RowRef.byKey(ACCOUNTS, "accountnumber", number)));

            assertEquals(Optional.of(account), read(RowRef.of(CONTACTS, contact)).guid("_parentcustomerid_value"));
        }
    }

    @Nested
    class AlternateKeys {
        @Test
        void aRowIsRetrievedUpsertedAndDeletedByItsAlternateKey() {
            String number = uniqueAccountNumber();
            RowRef byNumber = RowRef.byKey(ACCOUNTS, "accountnumber", number);
            assertEquals(Optional.empty(), dv.retrieve(byNumber));

            DataverseClient.UpsertResult created = dv.upsert(byNumber, RowValues.create().set("name", "Contoso").set("numberofemployees", 10));
            assertTrue(created.created());
            assertEquals(Optional.of(number), created.row().string("accountnumber"));
            UUID id = created.row().id("accountid").orElseThrow();

            DataverseClient.UpsertResult updated = dv.upsert(byNumber, RowValues.create().set("numberofemployees", 11));
            assertFalse(updated.created());
            assertEquals(Optional.of(id), updated.row().id("accountid"));

            Row row = dv.retrieve(byNumber).orElseThrow();
            assertEquals(Optional.of(id), row.id("accountid"));
            assertEquals(Optional.of("Contoso"), row.string("name"));
            assertEquals(11, row.integer("numberofemployees").getAsInt());
            assertEquals(1, dv.count(Query.from(ACCOUNTS).filter(Filter.eq("accountnumber", number))));

            dv.delete(byNumber);
            assertEquals(Optional.empty(), dv.retrieve(byNumber));
            assertEquals(Optional.empty(), dv.retrieve(RowRef.of(ACCOUNTS, id)));
        }

        @Test
        void aKeyWithAQuoteAddressesTheRow() {
            String number = "O'B-" + UUID.randomUUID().toString().substring(0, 12);
            UUID id = dv.create(ACCOUNTS, RowValues.create().set("name", unique("quoted key")).set("accountnumber", number));

            assertEquals(Optional.of(id), dv.retrieve(RowRef.byKey(ACCOUNTS, "accountnumber", number)).orElseThrow().id("accountid"));
        }

        @Test
        void aSlotIsRetrievedUpsertedAndDeletedByItsCompositeKey() {
            UUID stock = newStock(unique("composite key"), 10, 0);
            RowRef stockRef = RowRef.of(STOCKS, stock);
            UUID slot3 = dv.create(SLOTS, RowValues.create().set("new_name", "slot 3").set("new_slotnumber", 3)
                    .bind("new_StockId", stockRef));

            Row read = dv.retrieve(slotKey(stock, 3)).orElseThrow();
            assertEquals(Optional.of(slot3), read.id("new_bookingslotid"));
            assertEquals(Optional.of(stock), read.guid("_new_stockid_value"));
            assertEquals(Optional.empty(), dv.retrieve(slotKey(stock, 4)));

            DataverseClient.UpsertResult created = dv.upsert(slotKey(stock, 4), RowValues.create().set("new_name", "slot 4"));
            assertTrue(created.created());
            assertEquals(4, created.row().integer("new_slotnumber").getAsInt());
            assertEquals(Optional.of(stock), created.row().guid("_new_stockid_value"));

            DataverseClient.UpsertResult updated = dv.upsert(slotKey(stock, 3), RowValues.create().set("new_name", "slot three"));
            assertFalse(updated.created());
            assertEquals(Optional.of(slot3), updated.row().id("new_bookingslotid"));
            assertEquals(Optional.of("slot three"), read(RowRef.of(SLOTS, slot3)).string("new_name"));

            dv.delete(slotKey(stock, 3));
            assertEquals(Optional.empty(), dv.retrieve(RowRef.of(SLOTS, slot3)));
            assertEquals(1, dv.count(Query.from(SLOTS).filter(Filter.eq("_new_stockid_value", stock))));
        }

        @Test
        void aSecondSlotWithTheSameStockAndNumberIsADuplicate() {
            UUID stock = newStock(unique("duplicate slot"), 10, 0);
            RowValues slot = RowValues.create().set("new_name", "slot 1").set("new_slotnumber", 1)
                    .bind("new_StockId", RowRef.of(STOCKS, stock));
            dv.create(SLOTS, slot);

            DuplicateRecordException e = assertThrows(DuplicateRecordException.class, () -> dv.create(SLOTS, slot));

            assertEquals(412, e.status());
            assertEquals("0x80060892", e.code());
            assertEquals(1, dv.count(Query.from(SLOTS).filter(Filter.eq("_new_stockid_value", stock))));
        }

        private RowRef slotKey(UUID stock, int slot) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("_new_stockid_value", stock);
            key.put("new_slotnumber", slot);
            return RowRef.byKey(SLOTS, key);
        }
    }

    @Nested
    class Queries {
        /** Five accounts of one city, with 1..5 employees; returns the city. */
        private String fiveAccounts() {
            String city = unique("city");
            for (int i = 1; i <= 5; i++) {
                dv.create(ACCOUNTS, RowValues.create().set("name", "account " + i).set("address1_city", city)
                        .set("numberofemployees", i).set("telephone1", "555-000" + i));
            }
            return city;
        }

        @Test
        void selectFilterOrderByTopAndCount() {
            String city = fiveAccounts();

            Page page = dv.query(Query.from(ACCOUNTS)
                    .select("name", "numberofemployees")
                    .filter(Filter.eq("address1_city", city).and(Filter.gt("numberofemployees", 1)))
                    .orderByDescending("numberofemployees")
                    .top(3)
                    .withCount());

            assertEquals(List.of(5, 4, 3), page.rows().stream().map(r -> r.integer("numberofemployees").getAsInt()).collect(Collectors.toList()));
            assertEquals(List.of("account 5", "account 4", "account 3"), page.rows().stream().map(r -> r.string("name").orElseThrow()).collect(Collectors.toList()));
            page.rows().forEach(r -> {
                assertFalse(r.json().has("telephone1"), () -> "not selected, yet returned: " + r);
                assertFalse(r.json().has("address1_city"), () -> "not selected, yet returned: " + r);
            });
            assertEquals(4, page.count().orElseThrow(), "the count of matching rows, regardless of $top");
            assertFalse(page.hasNext());
        }

        @Test
        void orderByAscendingIsTheDefault() {
            String city = fiveAccounts();

            Page page = dv.query(Query.from(ACCOUNTS).select("numberofemployees")
                    .filter(Filter.eq("address1_city", city)).orderBy("numberofemployees"));

            assertEquals(List.of(1, 2, 3, 4, 5), page.rows().stream().map(r -> r.integer("numberofemployees").getAsInt()).collect(Collectors.toList()));
            assertTrue(page.count().isEmpty(), "no count unless asked for");
        }

        @Test
        void aValueWithAQuoteFindsItsRow() {
            String name = "O'Bryan's " + UUID.randomUUID();
            UUID id = dv.create(CONTACTS, RowValues.create().set("lastname", name));
            dv.create(CONTACTS, RowValues.create().set("lastname", name.replace("'", "")));

            List<Row> rows = dv.query(Query.from(CONTACTS).select("lastname").filter(Filter.eq("lastname", name))).rows();

            assertEquals(1, rows.size());
            assertEquals(Optional.of(id), rows.get(0).id("contactid"));
            assertEquals(Optional.of(name), rows.get(0).string("lastname"));
        }

        @Test
        void countCountsTheMatchingRows() {
            String city = fiveAccounts();

            assertEquals(5, dv.count(Query.from(ACCOUNTS).filter(Filter.eq("address1_city", city))));
            assertEquals(2, dv.count(Query.from(ACCOUNTS).filter(Filter.eq("address1_city", city).and(Filter.le("numberofemployees", 2)))));
            assertEquals(0, dv.count(Query.from(ACCOUNTS).filter(Filter.eq("address1_city", unique("nowhere")))));
        }

        @Test
        void pagesOfTwoCoverFiveRowsInThreePages() {
            String city = fiveAccounts();
            Query q = Query.from(ACCOUNTS).select("numberofemployees").filter(Filter.eq("address1_city", city))
                    .orderBy("numberofemployees").pageSize(2);

            List<Integer> sizes = dv.pages(q).map(p -> p.rows().size()).collect(Collectors.toList());

            assertEquals(List.of(2, 2, 1), sizes);
        }

        @Test
        void streamYieldsEveryMatchingRowExactlyOnceAcrossPages() {
            String city = fiveAccounts();
            Query q = Query.from(ACCOUNTS).select("numberofemployees").filter(Filter.eq("address1_city", city)).pageSize(2);

            List<UUID> ids = dv.stream(q).map(r -> r.id("accountid").orElseThrow()).collect(Collectors.toList());
            List<Integer> employees = dv.stream(q).map(r -> r.integer("numberofemployees").getAsInt()).sorted().collect(Collectors.toList());

            assertEquals(5, ids.size());
            assertEquals(5, Set.copyOf(ids).size(), () -> "a row came twice: " + ids);
            assertEquals(List.of(1, 2, 3, 4, 5), employees);
            assertEquals(3, dv.pages(q).count());
        }

        @Test
        void buildingAStreamReadsNothing() {
            String city = fiveAccounts();
            CountingHttpClient http = countingHttp();
            DataverseClient counted = dv.newBuilder().httpClient(http).build();

            Stream<Row> rows = counted.stream(pagedByTwo(city));

            assertEquals(0, http.requests(), "no row was asked for yet");
            assertEquals(5, rows.count());
        }

        @Test
        void streamReadsAPageOnlyWhenItsRowsAreNeeded() {
            String city = fiveAccounts();
            CountingHttpClient http = countingHttp();
            DataverseClient counted = dv.newBuilder().httpClient(http).build();

            List<Integer> firstTwo = counted.stream(pagedByTwo(city)).limit(2)
                    .map(r -> r.integer("numberofemployees").getAsInt()).collect(Collectors.toList());
            assertEquals(List.of(1, 2), firstTwo);
            assertEquals(1, http.requests(), "the first page's rows need only the first page");

            List<Integer> firstThree = counted.stream(pagedByTwo(city)).limit(3)
                    .map(r -> r.integer("numberofemployees").getAsInt()).collect(Collectors.toList());
            assertEquals(List.of(1, 2, 3), firstThree);
            assertEquals(1 + 2, http.requests(), "the third row needs the second page, not the third");

            List<Integer> all = counted.stream(pagedByTwo(city))
                    .map(r -> r.integer("numberofemployees").getAsInt()).collect(Collectors.toList());
            assertEquals(List.of(1, 2, 3, 4, 5), all);
            assertEquals(1 + 2 + 3, http.requests(), "every row: three pages, each read once");
        }

        private Query pagedByTwo(String city) {
            return Query.from(ACCOUNTS).select("numberofemployees").filter(Filter.eq("address1_city", city))
                    .orderBy("numberofemployees").pageSize(2);
        }

        private CountingHttpClient countingHttp() {
            return CountingHttpClient.http11();
        }
    }
}
