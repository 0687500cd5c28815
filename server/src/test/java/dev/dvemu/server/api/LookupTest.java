package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.dvemu.server.api.Rows.bookingPath;
import static dev.dvemu.server.api.Rows.json;
import static dev.dvemu.server.api.Rows.missingId;
import static dev.dvemu.server.api.Rows.read;
import static dev.dvemu.server.api.Rows.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Setting lookups with {@code nav@odata.bind} and reading them back as {@code _x_value}: §3, §9, §10b. */
@DvemuTest(reset = Reset.NEVER)
class LookupTest {
    static Dvemu dvemu;

    @BeforeAll
    static void rowsOn() {
        Rows.use(dvemu);
    }

    private static String bookingBoundTo(String reference) {
        return Rows.booking("{\"new_name\":\"" + unique("bk") + "\",\"new_StockId@odata.bind\":\"" + reference + "\"}").id();
    }

    @Test
    void bindWithLeadingSlashSetsTheLookup() {
        Rows.Created stock = Rows.stock();
        String booking = bookingBoundTo("/new_stocks(" + stock.id() + ")");
        assertEquals(stock.id(), read(bookingPath(booking)).getString("_new_stockid_value"));
    }

    @Test
    void bindWithoutLeadingSlashSetsTheLookup() {
        Rows.Created stock = Rows.stock();
        String booking = bookingBoundTo("new_stocks(" + stock.id() + ")");
        assertEquals(stock.id(), read(bookingPath(booking)).getString("_new_stockid_value"));
    }

    @Test
    void bindWithAbsoluteUrlOfAnotherHostSetsTheLookup() {
        // clients build bind URLs from their configured org URL, which is not the emulator's host and port
        Rows.Created stock = Rows.stock();
        String booking = bookingBoundTo("https://contoso.crm.dynamics.com/api/data/v9.2/new_stocks(" + stock.id() + ")");
        assertEquals(stock.id(), read(bookingPath(booking)).getString("_new_stockid_value"));
    }

    @Test
    void bindOnPatchMovesTheLookupToAnotherRow() {
        Rows.Created first = Rows.stock();
        Rows.Created second = Rows.stock();
        String booking = bookingBoundTo("/new_stocks(" + first.id() + ")");
        json("{\"new_StockId@odata.bind\":\"/new_stocks(" + second.id() + ")\"}").header("If-Match", "*")
                .patch(bookingPath(booking)).then().statusCode(204);
        assertEquals(second.id(), read(bookingPath(booking)).getString("_new_stockid_value"));
    }

    @Test
    void bindToNullClearsTheLookup() {
        Rows.Created stock = Rows.stock();
        String booking = bookingBoundTo("/new_stocks(" + stock.id() + ")");
        json("{\"new_StockId@odata.bind\":null}").header("If-Match", "*")
                .patch(bookingPath(booking)).then().statusCode(204);
        assertNull(read(bookingPath(booking)).get("_new_stockid_value"));
    }

    @Test
    void bindToAMissingRowIs404AndCreatesNothing() {
        String bookingId = missingId();
        String stockId = missingId();
        json("{\"new_bookingid\":\"" + bookingId + "\",\"new_name\":\"" + unique("bk")
                + "\",\"new_StockId@odata.bind\":\"/new_stocks(" + stockId + ")\"}")
                .post("new_bookings").then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"))
                .body("error.message", equalTo("Entity 'new_stock' With Id = " + stockId + " Does Not Exist"));
        Rows.get(bookingPath(bookingId)).then().statusCode(404);
    }

    @Test
    void bindToAMissingRowOnPatchIs404AndKeepsTheOldLookup() {
        Rows.Created stock = Rows.stock();
        String booking = bookingBoundTo("/new_stocks(" + stock.id() + ")");
        json("{\"new_name\":\"changed\",\"new_StockId@odata.bind\":\"/new_stocks(" + missingId() + ")\"}")
                .header("If-Match", "*").patch(bookingPath(booking)).then()
                .statusCode(404)
                .body("error.code", equalTo("0x80040217"));
        Rows.get(bookingPath(booking)).then().statusCode(200)
                .body("_new_stockid_value", equalTo(stock.id()))
                .body("new_name", not(equalTo("changed")));
    }

    @Test
    void bindToTheWrongEntitySetIs400() {
        Rows.Created account = Rows.account();
        json("{\"new_name\":\"" + unique("bk") + "\",\"new_StockId@odata.bind\":\"/accounts(" + account.id() + ")\"}")
                .post("new_bookings").then()
                .statusCode(400)
                .body("error.code", equalTo("0x80048d19"))
                .body("error.message", not(emptyOrNullString()));
    }

    @Test
    void bindWithAnUnknownNavigationPropertyIs400() {
        Rows.Created stock = Rows.stock();
        json("{\"new_name\":\"" + unique("bk") + "\",\"new_NoSuchNav@odata.bind\":\"/new_stocks(" + stock.id() + ")\"}")
                .post("new_bookings").then()
                .statusCode(400)
                .body("error.code", equalTo("0x80048d19"));
    }

    @Test
    void settingTheLookupValuePropertyDirectlyIs400() {
        Rows.Created stock = Rows.stock();
        json("{\"new_name\":\"" + unique("bk") + "\",\"_new_stockid_value\":\"" + stock.id() + "\"}")
                .post("new_bookings").then()
                .statusCode(400)
                .body("error.code", equalTo("0x80048d19"));
    }

    @Test
    void navigationPropertyGetReturnsTheRelatedRow() {
        String name = unique("stock");
        Rows.Created stock = Rows.stock(name, 3);
        String booking = bookingBoundTo("/new_stocks(" + stock.id() + ")");
        Api.given(dvemu).get(bookingPath(booking) + "/new_StockId").then()
                .statusCode(200)
                .body("new_stockid", equalTo(stock.id()))
                .body("new_name", equalTo(name))
                .body("'@odata.etag'", equalTo(stock.etag()));
    }

    @Test
    void contactParentCustomerBindSetsTheAccount() {
        Rows.Created account = Rows.account();
        Rows.Created contact = Rows.create("contacts", "contactid", "{\"fullname\":\"" + unique("c")
                + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(" + account.id() + ")\"}");
        assertEquals(account.id(), read("contacts(" + contact.id() + ")").getString("_parentcustomerid_value"));
    }

    @Test
    void bindByAlternateKeySetsTheLookup() {
        String number = Rows.accountNumber();
        Rows.Created account = Rows.account(number);
        Rows.Created contact = Rows.create("contacts", "contactid", "{\"fullname\":\"" + unique("c")
                + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(accountnumber='" + number + "')\"}");
        assertEquals(account.id(), read("contacts(" + contact.id() + ")").getString("_parentcustomerid_value"));
    }

    @Test
    void bindByAlternateKeyToAMissingRowIs404() {
        json("{\"fullname\":\"" + unique("c") + "\",\"parentcustomerid_account@odata.bind\":\"/accounts(accountnumber='"
                + Rows.accountNumber() + "')\"}")
                .post("contacts").then()
                .statusCode(404)
                .body("error.code", equalTo("0x80060891"));
    }
}
