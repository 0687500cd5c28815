package dev.dvemu.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCodecTest {
    private static final URI BASE = URI.create("http://localhost:5555/api/data/v9.2/");
    private static final String ORG = "http://localhost:5555/api/data/v9.2/";
    private static final UUID STOCK = UUID.fromString("5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11");
    private static final UUID BOOKING = UUID.fromString("e73f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final UUID SLOT = UUID.fromString("0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRLF = "\r\n";

    // ------------------------------------------------------------------------------------------------ encode

    private static Batch bookingBatch() {
        Changeset cs = Changeset.create()
                .create("new_bookings", RowValues.create().set("new_name", "B-1")).as("b")
                .update(RowRef.of("new_stocks", STOCK), RowValues.create().set("new_availablecount", 4), new ETag("W/\"42\""))
                .upsert(RowRef.byKey("new_bookingslots", "new_slotkey", "S'1"), RowValues.create().set("new_slotnumber", 3),
                        UpsertMode.CREATE_ONLY)
                .create("new_bookingslots", RowValues.create().set("new_slotnumber", 6)
                        .bind("new_BookingId", RowRef.operation("b"))
                        .bind("new_StockId", RowRef.of("new_stocks", STOCK)))
                .update(RowRef.operation("b"), RowValues.create().set("new_status", 2));
        return Batch.create().changeset(cs).get(RowRef.of("new_stocks", STOCK), "new_name", "new_availablecount");
    }

    private static String text(BatchCodec.Encoded e) {
        return new String(e.body(), StandardCharsets.UTF_8);
    }

    private static String batchBoundary(BatchCodec.Encoded e) {
        String prefix = "multipart/mixed; boundary=";
        assertTrue(e.contentType().startsWith(prefix), e.contentType());
        return e.contentType().substring(prefix.length());
    }

    private static String changesetBoundary(String body) {
        Matcher m = Pattern.compile("boundary=(changeset_[0-9a-f-]+)\r\n").matcher(body);
        assertTrue(m.find(), "a changeset boundary");
        return m.group(1);
    }

    private static String changesetItem(String cs, int contentId, String requestLine, String headers, String json) {
        return "--" + cs + CRLF
                + "Content-Type: application/http" + CRLF
                + "Content-Transfer-Encoding: binary" + CRLF
                + "Content-ID: " + contentId + CRLF
                + CRLF
                + requestLine + CRLF
                + "Content-Type: application/json" + CRLF
                + headers
                + CRLF
                + json + CRLF;
    }

    @Test
    void theBatchContentTypeNamesAFreshBoundary() {
        BatchCodec.Encoded first = BatchCodec.encode(BASE, bookingBatch(), JSON);
        BatchCodec.Encoded second = BatchCodec.encode(BASE, bookingBatch(), JSON);

        assertTrue(batchBoundary(first).matches("batch_[0-9a-f-]{36}"), first.contentType());
        assertFalse(batchBoundary(first).equals(batchBoundary(second)));
    }

    @Test
    void aChangesetIsWrittenWithContentIdsAbsoluteUrlsReferencesPreconditionsAndJsonBodies() {
        BatchCodec.Encoded e = BatchCodec.encode(BASE, bookingBatch(), JSON);
        String body = text(e);
        String batch = batchBoundary(e);
        String cs = changesetBoundary(body);

        String expectedChangeset = "--" + batch + CRLF
                + "Content-Type: multipart/mixed; boundary=" + cs + CRLF
                + CRLF
                + changesetItem(cs, 1, "POST " + ORG + "new_bookings HTTP/1.1", "",
                "{\"new_name\":\"B-1\"}")
                + changesetItem(cs, 2, "PATCH " + ORG + "new_stocks(" + STOCK + ") HTTP/1.1", "If-Match: W/\"42\"" + CRLF,
                "{\"new_availablecount\":4}")
                + changesetItem(cs, 3, "PATCH " + ORG + "new_bookingslots(new_slotkey='S''1') HTTP/1.1",
                "If-None-Match: *" + CRLF, "{\"new_slotnumber\":3}")
                + changesetItem(cs, 4, "POST " + ORG + "new_bookingslots HTTP/1.1", "",
                "{\"new_slotnumber\":6,\"new_BookingId@odata.bind\":\"$1\",\"new_StockId@odata.bind\":\"/new_stocks(" + STOCK + ")\"}")
                + changesetItem(cs, 5, "PATCH $1 HTTP/1.1", "If-Match: *" + CRLF, "{\"new_status\":2}")
                + "--" + cs + "--" + CRLF;

        assertEquals(expectedChangeset, body.substring(0, expectedChangeset.length()));
    }

    @Test
    void aStandaloneGetHasNoContentIdAndAsksForJson() {
        BatchCodec.Encoded e = BatchCodec.encode(BASE, bookingBatch(), JSON);
        String body = text(e);
        String batch = batchBoundary(e);

        int start = body.lastIndexOf("--" + batch + CRLF);
        String part = body.substring(start);

        assertTrue(part.startsWith("--" + batch + CRLF
                + "Content-Type: application/http" + CRLF
                + "Content-Transfer-Encoding: binary" + CRLF
                + CRLF
                + "GET " + ORG + "new_stocks(" + STOCK + ")?$select=new_name,new_availablecount HTTP/1.1" + CRLF
                + "Accept: application/json" + CRLF), part);
        assertTrue(part.endsWith(CRLF + "--" + batch + "--" + CRLF), part);
    }

    @Test
    void everyLineEndsWithCrlf() {
        String body = text(BatchCodec.encode(BASE, bookingBatch(), JSON));

        for (int i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) {
            assertEquals('\r', body.charAt(i - 1), "bare LF at " + i);
        }
        assertEquals(-1, body.replace(CRLF, "").indexOf('\r'), "no bare CR");
        assertTrue(body.endsWith("--" + CRLF));
    }

    @Test
    void theBodyIsValidMimeWithOnePartPerChangesetOrStandaloneOperation() throws Exception {
        BatchCodec.Encoded e = BatchCodec.encode(BASE, bookingBatch(), JSON);

        MimeMultipart outer = new MimeMultipart(new ByteArrayDataSource(e.body(), e.contentType()));

        assertEquals(2, outer.getCount());
        assertTrue(outer.getBodyPart(0).getContentType().startsWith("multipart/mixed; boundary=changeset_"));
        assertEquals("application/http", outer.getBodyPart(1).getContentType());
        MimeMultipart inner = new MimeMultipart(new ByteArrayDataSource(raw(outer.getBodyPart(0)),
                outer.getBodyPart(0).getContentType()));
        assertEquals(5, inner.getCount());
        for (int i = 0; i < 5; i++) {
            assertEquals(String.valueOf(i + 1), inner.getBodyPart(i).getHeader("Content-ID")[0]);
        }
        assertEquals("PATCH $1 HTTP/1.1" + CRLF + "Content-Type: application/json" + CRLF + "If-Match: *" + CRLF + CRLF
                + "{\"new_status\":2}", new String(raw(inner.getBodyPart(4)), StandardCharsets.UTF_8));
    }

    /**
     * After MIME framing is removed (the CRLF before a boundary belongs to the boundary), each part must still be a
     * whole HTTP request: request line, headers, and the empty line that ends the headers, even with no body.
     */
    @Test
    void aRequestWithoutBodyStillEndsWithTheEmptyLineAfterItsHeaders() throws Exception {
        Batch batch = Batch.create()
                .changeset(Changeset.create().delete(RowRef.of("new_bookings", BOOKING), new ETag("W/\"9\"")))
                .get(RowRef.of("new_stocks", STOCK));
        BatchCodec.Encoded e = BatchCodec.encode(BASE, batch, JSON);

        MimeMultipart outer = new MimeMultipart(new ByteArrayDataSource(e.body(), e.contentType()));
        MimeMultipart changeset = new MimeMultipart(new ByteArrayDataSource(raw(outer.getBodyPart(0)),
                outer.getBodyPart(0).getContentType()));
        String delete = new String(raw(changeset.getBodyPart(0)), StandardCharsets.UTF_8);
        String get = new String(raw(outer.getBodyPart(1)), StandardCharsets.UTF_8);

        assertEquals("DELETE " + ORG + "new_bookings(" + BOOKING + ") HTTP/1.1" + CRLF
                + "Accept: application/json" + CRLF
                + "If-Match: W/\"9\"" + CRLF
                + CRLF, delete);
        assertEquals("GET " + ORG + "new_stocks(" + STOCK + ") HTTP/1.1" + CRLF
                + "Accept: application/json" + CRLF
                + CRLF, get);
    }

    @Test
    void aQueryPartCarriesItsEncodedUrlAndPageSize() {
        Batch batch = Batch.create().query(Query.from("new_bookings").select("new_name")
                .filter(Filter.eq("new_name", "O'Bryan")).pageSize(10));

        String body = text(BatchCodec.encode(BASE, batch, JSON));

        assertTrue(body.contains("GET " + ORG + "new_bookings?$select=new_name&$filter=new_name%20eq%20'O''Bryan' HTTP/1.1"
                + CRLF + "Accept: application/json" + CRLF + "Prefer: odata.maxpagesize=10" + CRLF), body);
    }

    @Test
    void eachChangesetNumbersItsOperationsFromOne() {
        Batch batch = Batch.create()
                .changeset(Changeset.create().create("a", RowValues.create().set("x", 1)).create("a", RowValues.create()))
                .changeset(Changeset.create().create("b", RowValues.create().set("y", 2)).as("first")
                        .update(RowRef.operation("first"), RowValues.create().set("y", 3)));

        String body = text(BatchCodec.encode(BASE, batch, JSON));

        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("Content-ID: (\\d+)\r\n").matcher(body);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(List.of("1", "2", "1", "2"), ids);
        assertTrue(body.contains("PATCH $1 HTTP/1.1"), body);
    }

    @Test
    void aReferenceToAnOperationNotNamedBeforeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Changeset.create()
                .update(RowRef.operation("later"), RowValues.create().set("x", 1)));
        assertThrows(IllegalArgumentException.class, () -> Changeset.create()
                .create("a", RowValues.create().bind("nav", RowRef.operation("later"))));
    }

    @Test
    void anOperationReferenceOutsideAChangesetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Batch.create().get(RowRef.operation("b")));
    }

    @Test
    void anUnbindIsWrittenAsNull() {
        Batch batch = Batch.create().update(RowRef.of("new_bookings", BOOKING), RowValues.create().unbind("new_StockId"));

        String body = text(BatchCodec.encode(BASE, batch, JSON));

        assertTrue(body.contains(CRLF + "{\"new_StockId@odata.bind\":null}" + CRLF), body);
    }

    @Test
    void referenceOperationsAreWrittenWithDollarRefUrlsAndOdataIdBodies() {
        UUID contact = SLOT;
        Changeset cs = Changeset.create()
                .create("contacts", RowValues.create().set("fullname", "Ada")).as("ada")
                .associate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.operation("ada"))
                .associate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.of("contacts", contact))
                .setReference(RowRef.operation("ada"), "parentcustomerid_account", RowRef.byKey("accounts", "accountnumber", "A 1"))
                .clearReference(RowRef.operation("ada"), "parentcustomerid_account")
                .disassociate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.of("contacts", contact))
                .disassociate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.operation("ada"))
                .disassociate(RowRef.of("contacts", contact), "account_primary_contact", RowRef.byKey("accounts", "accountnumber", "A 1"));

        String body = text(BatchCodec.encode(BASE, Batch.create().changeset(cs), JSON));

        String account = ORG + "accounts(" + STOCK + ")";
        assertTrue(body.contains("POST " + account + "/contact_customer_accounts/$ref HTTP/1.1" + CRLF
                + "Content-Type: application/json" + CRLF + CRLF + "{\"@odata.id\":\"$1\"}" + CRLF), body);
        assertTrue(body.contains("{\"@odata.id\":\"" + ORG + "contacts(" + contact + ")\"}"), body);
        assertTrue(body.contains("PUT $1/parentcustomerid_account/$ref HTTP/1.1" + CRLF + "Content-Type: application/json"
                + CRLF + CRLF + "{\"@odata.id\":\"" + ORG + "accounts(accountnumber='A%201')\"}" + CRLF), body);
        assertTrue(body.contains("DELETE $1/parentcustomerid_account/$ref HTTP/1.1" + CRLF + "Accept: application/json"), body);
        assertTrue(body.contains("DELETE " + account + "/contact_customer_accounts(" + contact + ")/$ref HTTP/1.1"), body);
        assertTrue(body.contains("DELETE " + account + "/contact_customer_accounts/$ref?$id=$1 HTTP/1.1"), body);
        assertTrue(body.contains("DELETE " + ORG + "contacts(" + contact + ")/account_primary_contact/$ref?$id="
                + "http%3A%2F%2Flocalhost%3A5555%2Fapi%2Fdata%2Fv9.2%2Faccounts(accountnumber%3D'A%25201') HTTP/1.1"), body);
    }

    @Test
    void referenceOperationsAreGuardedWritesButAChangesetWithACreateIsNot() {
        Changeset refs = Changeset.create()
                .associate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.of("contacts", SLOT))
                .clearReference(RowRef.of("contacts", SLOT), "parentcustomerid_account");
        assertTrue(refs.guarded());
        assertFalse(Changeset.create().create("contacts", RowValues.create()).as("c")
                .associate(RowRef.of("accounts", STOCK), "contact_customer_accounts", RowRef.operation("c")).guarded());
    }

    private static byte[] raw(BodyPart p) throws Exception {
        try (InputStream in = p.getInputStream()) {
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------------------------------------ decode

    private static final String SUCCESS = String.join(CRLF,
            "--batchresponse_x",
            "Content-Type: multipart/mixed; boundary=changesetresponse_y",
            "",
            "--changesetresponse_y",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "Content-ID: 1",
            "",
            "HTTP/1.1 204 No Content",
            "OData-Version: 4.0",
            "Location: " + ORG + "new_bookings(" + BOOKING + ")",
            "OData-EntityId: " + ORG + "new_bookings(" + BOOKING + ")",
            "",
            "--changesetresponse_y",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "Content-ID: 2",
            "",
            "HTTP/1.1 204 No Content",
            "OData-Version: 4.0",
            "Location: " + ORG + "new_stocks(" + STOCK + ")",
            "OData-EntityId: " + ORG + "new_stocks(" + STOCK + ")",
            "",
            "--changesetresponse_y",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "Content-ID: 3",
            "",
            "HTTP/1.1 204 No Content",
            "OData-Version: 4.0",
            "Location: " + ORG + "new_bookingslots(" + SLOT + ")",
            "OData-EntityId: " + ORG + "new_bookingslots(" + SLOT + ")",
            "",
            "--changesetresponse_y--",
            "--batchresponse_x",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            "HTTP/1.1 200 OK",
            "Content-Type: application/json; odata.metadata=minimal",
            "OData-Version: 4.0",
            "",
            "{\"@odata.context\":\"" + ORG + "$metadata#new_stocks(new_name)/$entity\",\"@odata.etag\":\"W/\\\"77\\\"\","
                    + "\"new_name\":\"Amsterdam\",\"new_stockid\":\"" + STOCK + "\"}",
            "--batchresponse_x--",
            "");

    private static final String FAILED_CHANGESET = String.join(CRLF,
            "--batchresponse_x",
            "Content-Type: multipart/mixed; boundary=changesetresponse_y",
            "",
            "--changesetresponse_y",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "Content-ID: 3",
            "",
            "HTTP/1.1 412 Precondition Failed",
            "REQ_ID: 5ecd1cb3-0000-4a4b-9c9d-000000000001",
            "Content-Type: application/json; odata.metadata=minimal",
            "OData-Version: 4.0",
            "",
            "{\"error\":{\"code\":\"0x80060882\",\"message\":\"The version of the existing record doesn't match the RowVersion property provided.\"}}",
            "--changesetresponse_y--",
            "--batchresponse_x--",
            "");

    private static final String FAILED_STANDALONE = String.join(CRLF,
            "--batchresponse_156d",
            "Content-Type: application/http",
            "Content-Transfer-Encoding: binary",
            "",
            "HTTP/1.1 400 Bad Request",
            "REQ_ID: 5ecd1cb3-0000-4a4b-9c9d-000000000002",
            "Content-Type: application/json; odata.metadata=minimal",
            "OData-Version: 4.0",
            "",
            "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}",
            "--batchresponse_156d--",
            "");

    private static List<BatchCodec.DecodedPart> decode(String contentType, String body) {
        return BatchCodec.decode(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSuccessfulChangesetGivesOneResponsePerOperationWithItsContentIdAndEntityId() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_x", SUCCESS);

        assertEquals(2, parts.size());
        BatchCodec.DecodedPart cs = parts.get(0);
        assertTrue(cs.changeset());
        assertEquals(3, cs.responses().size());
        UUID[] ids = {BOOKING, STOCK, SLOT};
        String[] sets = {"new_bookings", "new_stocks", "new_bookingslots"};
        for (int i = 0; i < 3; i++) {
            BatchCodec.PartResponse r = cs.responses().get(i);
            assertEquals(String.valueOf(i + 1), r.contentId());
            assertEquals(204, r.status());
            assertEquals(ORG + sets[i] + "(" + ids[i] + ")", r.header("OData-EntityId"));
            assertEquals(ORG + sets[i] + "(" + ids[i] + ")", r.header("odata-entityid"), "header names ignore case");
            assertEquals("4.0", r.header("OData-Version"));
            assertEquals("", r.body());
        }
    }

    @Test
    void aStandaloneGetGivesItsStatusHeadersAndJsonBody() {
        BatchCodec.DecodedPart get = decode("multipart/mixed; boundary=batchresponse_x", SUCCESS).get(1);

        assertFalse(get.changeset());
        assertEquals(1, get.responses().size());
        BatchCodec.PartResponse r = get.responses().get(0);
        assertNull(r.contentId());
        assertEquals(200, r.status());
        assertEquals("application/json; odata.metadata=minimal", r.header("Content-Type"));
        assertEquals("{\"@odata.context\":\"" + ORG + "$metadata#new_stocks(new_name)/$entity\",\"@odata.etag\":\"W/\\\"77\\\"\","
                + "\"new_name\":\"Amsterdam\",\"new_stockid\":\"" + STOCK + "\"}", r.body());
    }

    @Test
    void theResultOfAPartCarriesTheIdRowAndEtag() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_x", SUCCESS);

        OperationResult created = BatchCodec.result(parts.get(0).responses().get(0), "new_bookings", JSON);
        OperationResult read = BatchCodec.result(parts.get(1).responses().get(0), "new_stocks", JSON);

        assertEquals(204, created.status());
        assertEquals(Optional.of(BOOKING), created.id());
        assertEquals(Optional.empty(), created.row());
        assertEquals(Optional.empty(), created.etag());
        assertEquals(200, read.status());
        assertEquals("Amsterdam", read.row().orElseThrow().string("new_name").orElseThrow());
        assertEquals(Optional.of(new ETag("W/\"77\"")), read.etag());
        assertEquals("new_stocks", read.row().orElseThrow().entitySet());
    }

    @Test
    void aFailedChangesetGivesTheSingleFailingResponseWithItsContentIdAndError() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_x", FAILED_CHANGESET);

        assertEquals(1, parts.size());
        assertTrue(parts.get(0).changeset());
        assertEquals(1, parts.get(0).responses().size());
        BatchCodec.PartResponse r = parts.get(0).responses().get(0);
        assertEquals("3", r.contentId());
        assertEquals(412, r.status());
        assertEquals("5ecd1cb3-0000-4a4b-9c9d-000000000001", r.header("REQ_ID"));
        assertEquals("{\"error\":{\"code\":\"0x80060882\",\"message\":\"The version of the existing record doesn't match the RowVersion property provided.\"}}",
                r.body());
        assertTrue(ErrorMapper.fromResponse(r.status(), r.body(), null) instanceof VersionConflictException);
    }

    @Test
    void aFailedStandalonePartGivesItsStatusAndError() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_156d", FAILED_STANDALONE);

        assertEquals(1, parts.size());
        assertFalse(parts.get(0).changeset());
        BatchCodec.PartResponse r = parts.get(0).responses().get(0);
        assertEquals(400, r.status());
        assertEquals("{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}", r.body());
    }

    @Test
    void anLfOnlyAnswerIsReadTheSame() {
        String lf = SUCCESS.replace(CRLF, "\n");

        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_x", lf);

        assertEquals(2, parts.size());
        assertEquals(3, parts.get(0).responses().size());
        assertEquals("2", parts.get(0).responses().get(1).contentId());
        assertEquals(204, parts.get(0).responses().get(1).status());
        assertEquals(ORG + "new_stocks(" + STOCK + ")", parts.get(0).responses().get(1).header("OData-EntityId"));
        assertEquals(200, parts.get(1).responses().get(0).status());
        assertEquals("application/json; odata.metadata=minimal", parts.get(1).responses().get(0).header("Content-Type"));
        assertTrue(parts.get(1).responses().get(0).body().startsWith("{\"@odata.context\""));
        assertTrue(parts.get(1).responses().get(0).body().endsWith("}"));
    }

    @Test
    void anLfOnlyFailedChangesetIsReadTheSame() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=batchresponse_x",
                FAILED_CHANGESET.replace(CRLF, "\n"));

        BatchCodec.PartResponse r = parts.get(0).responses().get(0);
        assertEquals("3", r.contentId());
        assertEquals(412, r.status());
        assertTrue(r.body().startsWith("{\"error\":{\"code\":\"0x80060882\""), r.body());
    }

    @Test
    void aQuotedBoundaryIsUnderstood() {
        List<BatchCodec.DecodedPart> parts = decode("multipart/mixed; boundary=\"batchresponse_x\"",
                SUCCESS.replace("boundary=changesetresponse_y", "boundary=\"changesetresponse_y\""));

        assertEquals(2, parts.size());
        assertEquals(3, parts.get(0).responses().size());
    }

    @Test
    void aPartThatIsNotAnHttpResponseIsReportedAsUnreadable() {
        String bad = String.join(CRLF,
                "--batchresponse_x",
                "Content-Type: application/http",
                "",
                "this is not HTTP",
                "--batchresponse_x--",
                "");

        DataverseException e = assertThrows(DataverseException.class,
                () -> decode("multipart/mixed; boundary=batchresponse_x", bad));

        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("the $batch answer could not be read"), e.getMessage());
    }
}
