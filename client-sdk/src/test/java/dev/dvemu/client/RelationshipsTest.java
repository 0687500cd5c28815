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
 * One-to-many relationships through the SDK: {@code $ref} writes (directly and in changesets) and the related rows
 * of a row as a query. Uses the built-in accounts and contacts: {@code parentcustomerid_account} ↔
 * {@code contact_customer_accounts}, {@code primarycontactid} ↔ {@code account_primary_contact}. Every test works on
 * its own rows.
 */
@Timeout(60)
@DvemuTest(reset = Reset.NEVER)
class RelationshipsTest {
    static Dvemu dvemu;

    private static final String CONTACTS_OF_ACCOUNT = "contact_customer_accounts";
    private static final String PARENT_ACCOUNT = "parentcustomerid_account";
    private static final String NOT_FOUND = "0x80040217";

    private final DataverseClient dv = dvemu.client();

    private RowRef account() {
        return RowRef.of("accounts", dv.create("accounts", RowValues.create().set("name", "account " + UUID.randomUUID())));
    }

    /** An account with a short, unique account number (its alternate key; the column holds 20 characters). */
    private RowRef keyedAccount(String number) {
        dv.create("accounts", RowValues.create().set("name", "account " + number).set("accountnumber", number));
        return RowRef.byKey("accounts", "accountnumber", number);
    }

    private static String number() {
        return "N-" + UUID.randomUUID().toString().substring(0, 13);
    }

    private RowRef contact(String name) {
        return RowRef.of("contacts", dv.create("contacts", RowValues.create().set("fullname", name)));
    }

    private Optional<UUID> parentOf(RowRef contact) {
        return dv.retrieve(contact, "_parentcustomerid_value").orElseThrow().guid("_parentcustomerid_value");
    }

    private Optional<UUID> primaryContactOf(RowRef account) {
        return dv.retrieve(account, "_primarycontactid_value").orElseThrow().guid("_primarycontactid_value");
    }

    private List<String> contactNames(RowRef account) {
        return dv.stream(Query.related(account, CONTACTS_OF_ACCOUNT).select("fullname").orderBy("fullname"))
                .map(r -> r.string("fullname").orElseThrow()).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------------------------ many-to-many

    @Test
    void aManyToManyLinkIsMadeFromEitherSideOnceReadBothWaysAndRemoved() {
        String attendees = "new_booking_contact";
        RowRef booking = RowRef.of("new_bookings", dv.create("new_bookings", RowValues.create().set("new_name", "booking " + UUID.randomUUID())));
        RowRef ada = contact("Ada");
        RowRef bob = contact("Bob");

        dv.associate(booking, attendees, ada);
        dv.associate(bob, attendees, booking);
        DuplicateRecordException twice = assertThrows(DuplicateRecordException.class, () -> dv.associate(booking, attendees, ada));
        assertEquals("0x80040237", twice.code());

        assertEquals(List.of("Ada", "Bob"), dv.stream(Query.related(booking, attendees).select("fullname").orderBy("fullname"))
                .map(r -> r.string("fullname").orElseThrow()).collect(Collectors.toList()));
        assertEquals(1, dv.stream(Query.related(ada, attendees)).count());
        Row expanded = dv.stream(Query.from("new_bookings").filter(Filter.eq("new_bookingid", booking.id().orElseThrow()))
                .expand(attendees, Expand.of().select("fullname"))).findFirst().orElseThrow();
        assertEquals(2, expanded.expandedRows(attendees).size());

        dv.disassociate(booking, attendees, ada);
        assertEquals(List.of("Bob"), dv.stream(Query.related(booking, attendees).select("fullname"))
                .map(r -> r.string("fullname").orElseThrow()).collect(Collectors.toList()));
    }

    // ------------------------------------------------------------------------------------------------ direct calls

    @Test
    void associateMakesTheRelatedRowsLookupPointAtTheRow() {
        RowRef account = account();
        RowRef contact = contact("Ada");

        dv.associate(account, CONTACTS_OF_ACCOUNT, contact);

        assertEquals(account.id(), parentOf(contact));
        assertEquals(List.of("Ada"), contactNames(account));
    }

    @Test
    void disassociateByIdClearsTheLookupAndLeavesRowsRelatedElsewhereAlone() {
        RowRef account = account();
        RowRef other = account();
        RowRef mine = contact("mine");
        RowRef theirs = contact("theirs");
        dv.associate(account, CONTACTS_OF_ACCOUNT, mine);
        dv.associate(other, CONTACTS_OF_ACCOUNT, theirs);

        dv.disassociate(account, CONTACTS_OF_ACCOUNT, mine);
        dv.disassociate(account, CONTACTS_OF_ACCOUNT, theirs);
        dv.disassociate(account, CONTACTS_OF_ACCOUNT, mine); // not related any more: nothing to do

        assertEquals(Optional.empty(), parentOf(mine));
        assertEquals(other.id(), parentOf(theirs));
    }

    @Test
    void aRowNamedByAlternateKeyIsDisassociatedWithDollarId() {
        String number = number();
        RowRef keyed = keyedAccount(number);
        UUID accountId = dv.retrieve(keyed, "accountid").orElseThrow().guid("accountid").orElseThrow();
        RowRef contact = contact("primary");
        dv.associate(contact, "account_primary_contact", keyed);
        assertEquals(contact.id(), primaryContactOf(keyed));

        dv.disassociate(contact, "account_primary_contact", keyed);

        assertEquals(Optional.empty(), primaryContactOf(RowRef.of("accounts", accountId)));
    }

    @Test
    void aSingleValuedReferenceIsSetAndCleared() {
        RowRef account = account();
        RowRef contact = contact("single");

        dv.setReference(contact, PARENT_ACCOUNT, account);
        assertEquals(account.id(), parentOf(contact));

        dv.clearReference(contact, PARENT_ACCOUNT);
        assertEquals(Optional.empty(), parentOf(contact));
    }

    @Test
    void aMissingRelatedRowIsNotFound() {
        RowRef account = account();
        RowRef missing = RowRef.of("contacts", UUID.randomUUID());

        NotFoundException e = assertThrows(NotFoundException.class, () -> dv.associate(account, CONTACTS_OF_ACCOUNT, missing));
        assertEquals(404, e.status());
        assertEquals(NOT_FOUND, e.code());

        NotFoundException target = assertThrows(NotFoundException.class,
                () -> dv.setReference(contact("orphan"), PARENT_ACCOUNT, RowRef.of("accounts", UUID.randomUUID())));
        assertEquals(NOT_FOUND, target.code());
        NotFoundException row = assertThrows(NotFoundException.class,
                () -> dv.clearReference(RowRef.of("contacts", UUID.randomUUID()), PARENT_ACCOUNT));
        assertEquals(NOT_FOUND, row.code());
    }

    @Test
    void aRowOfTheWrongTableIsABadRequest() {
        RowRef account = account();

        BadRequestException e = assertThrows(BadRequestException.class,
                () -> dv.associate(account, CONTACTS_OF_ACCOUNT, account()));
        assertEquals(400, e.status());
    }

    @Test
    void badNavigationNamesAndOperationReferencesOutsideAChangesetAreRefusedBeforeSending() {
        RowRef account = RowRef.of("accounts", UUID.randomUUID());
        RowRef contact = RowRef.of("contacts", UUID.randomUUID());
        for (String bad : new String[]{"", "a/b", "nav/$ref", "x(1)", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> dv.associate(account, bad, contact), bad);
            assertThrows(IllegalArgumentException.class, () -> Changeset.create().clearReference(contact, bad), bad);
            assertThrows(IllegalArgumentException.class, () -> Query.related(account, bad), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> dv.associate(account, CONTACTS_OF_ACCOUNT, RowRef.operation("created")));
        assertThrows(IllegalArgumentException.class, () -> Query.related(RowRef.operation("created"), CONTACTS_OF_ACCOUNT));
        assertThrows(IllegalArgumentException.class, () -> Changeset.create()
                .associate(account, CONTACTS_OF_ACCOUNT, RowRef.operation("never named")));
        assertThrows(IllegalStateException.class, () -> Changeset.create()
                .associate(account, CONTACTS_OF_ACCOUNT, contact).returning());
    }

    // ------------------------------------------------------------------------------------------------ changesets

    @Test
    void aChangesetCreatesAContactAndAssociatesItInOneGo() {
        RowRef account = account();
        String name = "created " + UUID.randomUUID();

        ChangesetResult r = dv.execute(Changeset.create()
                .create("contacts", RowValues.create().set("fullname", name)).as("contact")
                .associate(account, CONTACTS_OF_ACCOUNT, RowRef.operation("contact")));

        assertEquals(204, r.get(1).status());
        RowRef contact = RowRef.of("contacts", r.get("contact").id().orElseThrow());
        assertEquals(account.id(), parentOf(contact));
        assertEquals(List.of(name), contactNames(account));
    }

    @Test
    void anEarlierOperationsRowMayBeTheSubjectOfEveryReferenceOperation() {
        RowRef account = account();
        RowRef other = account();
        RowRef existing = contact("existing");

        ChangesetResult r = dv.execute(Changeset.create()
                .create("accounts", RowValues.create().set("name", "new " + UUID.randomUUID())).as("account")
                .associate(RowRef.operation("account"), CONTACTS_OF_ACCOUNT, existing)
                .create("contacts", RowValues.create().set("fullname", "new")).as("contact")
                .setReference(RowRef.operation("contact"), PARENT_ACCOUNT, account)
                .setReference(RowRef.operation("contact"), "parentcustomerid_account", other)
                .create("contacts", RowValues.create().set("fullname", "gone")).as("gone")
                .setReference(RowRef.operation("gone"), PARENT_ACCOUNT, account)
                .clearReference(RowRef.operation("gone"), PARENT_ACCOUNT));

        RowRef created = RowRef.of("accounts", r.get("account").id().orElseThrow());
        assertEquals(created.id(), parentOf(existing));
        assertEquals(other.id(), parentOf(RowRef.of("contacts", r.get("contact").id().orElseThrow())));
        assertEquals(Optional.empty(), parentOf(RowRef.of("contacts", r.get("gone").id().orElseThrow())));
    }

    @Test
    void aChangesetDisassociatesByIdAndAnEarlierOperationsRow() {
        RowRef account = account();
        RowRef first = contact("first");
        dv.associate(account, CONTACTS_OF_ACCOUNT, first);

        ChangesetResult r = dv.execute(Changeset.create()
                .disassociate(account, CONTACTS_OF_ACCOUNT, first)
                .create("contacts", RowValues.create().set("fullname", "second").bind(PARENT_ACCOUNT, account)).as("second")
                .disassociate(account, CONTACTS_OF_ACCOUNT, RowRef.operation("second")));

        assertEquals(Optional.empty(), parentOf(first));
        assertEquals(Optional.empty(), parentOf(RowRef.of("contacts", r.get("second").id().orElseThrow())));
    }

    @Test
    void aFailingChangesetRollsTheAssociationBack() {
        RowRef account = account();
        RowRef contact = contact("rolled back");
        RowRef missing = RowRef.of("contacts", UUID.randomUUID());

        NotFoundException e = assertThrows(NotFoundException.class, () -> dv.execute(Changeset.create()
                .associate(account, CONTACTS_OF_ACCOUNT, contact)
                .update(missing, RowValues.create().set("fullname", "x"))));

        assertEquals(1, e.operationIndex().orElseThrow());
        assertEquals(NOT_FOUND, e.code());
        assertEquals(Optional.empty(), parentOf(contact), "the association of the failed changeset is rolled back");
    }

    @Test
    void aChangesetAssociatingAMissingRowFailsAtThatOperation() {
        RowRef account = account();
        String name = "never " + UUID.randomUUID();

        NotFoundException e = assertThrows(NotFoundException.class, () -> dv.execute(Changeset.create()
                .create("contacts", RowValues.create().set("fullname", name))
                .associate(account, CONTACTS_OF_ACCOUNT, RowRef.of("contacts", UUID.randomUUID()))));

        assertEquals(1, e.operationIndex().orElseThrow());
        assertEquals(NOT_FOUND, e.code());
        assertEquals(0, dv.count(Query.from("contacts").filter(Filter.eq("fullname", name))));
    }

    // ------------------------------------------------------------------------------------------------ queries

    @Test
    void relatedRowsArePagedFilteredOrderedAndCounted() {
        RowRef account = account();
        RowRef other = account();
        for (String name : List.of("Ann", "Bob", "Cid", "Dee", "Eve")) {
            dv.associate(account, CONTACTS_OF_ACCOUNT, contact(name));
        }
        dv.associate(other, CONTACTS_OF_ACCOUNT, contact("Someone else"));
        Query all = Query.related(account, CONTACTS_OF_ACCOUNT).select("fullname").orderBy("fullname").pageSize(2);

        Page first = dv.query(all.withCount());
        assertEquals(List.of("Ann", "Bob"), names(first));
        assertEquals(5, first.count().getAsLong());
        assertEquals("contacts", first.entitySet(), "the rows' set, read from the answer's context");
        assertTrue(first.hasNext());
        Page second = dv.nextPage(first).orElseThrow();
        assertEquals(List.of("Cid", "Dee"), names(second));
        assertEquals("contacts", second.entitySet());
        assertEquals(3, dv.pages(all).count());
        assertEquals(List.of("Ann", "Bob", "Cid", "Dee", "Eve"),
                dv.stream(all).map(r -> r.string("fullname").orElseThrow()).collect(Collectors.toList()));

        Query filtered = Query.related(account, CONTACTS_OF_ACCOUNT).select("fullname")
                .filter(Filter.ne("fullname", "Bob")).orderByDescending("fullname").top(2);
        assertEquals(List.of("Eve", "Dee"), names(dv.query(filtered)));
        assertEquals(4, dv.count(filtered));
        assertEquals(5, dv.count(Query.related(account, CONTACTS_OF_ACCOUNT)));

        Row row = dv.query(all).rows().get(0);
        RowRef ref = row.ref("contactid");
        assertEquals(account.id(), parentOf(ref));
    }

    @Test
    void relatedRowsOfARowNamedByAlternateKey() {
        String number = number();
        RowRef keyed = keyedAccount(number);
        dv.associate(keyed, CONTACTS_OF_ACCOUNT, contact("Keyed"));

        assertEquals(List.of("Keyed"), contactNames(keyed));
        assertEquals("accounts(accountnumber='" + number + "')/contact_customer_accounts",
                Query.related(keyed, CONTACTS_OF_ACCOUNT).path());
    }

    @Test
    void relatedRowsOfAMissingRowAreNotFound() {
        Query q = Query.related(RowRef.of("accounts", UUID.randomUUID()), CONTACTS_OF_ACCOUNT);

        NotFoundException e = assertThrows(NotFoundException.class, () -> dv.query(q));
        assertEquals(NOT_FOUND, e.code());
        assertFalse(q.path().isEmpty());
        assertThrows(IllegalStateException.class, q::entitySet);
    }

    private static List<String> names(Page page) {
        return page.rows().stream().map(r -> r.string("fullname").orElseThrow()).collect(Collectors.toList());
    }
}
