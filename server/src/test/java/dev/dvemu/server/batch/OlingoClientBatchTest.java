package dev.dvemu.server.batch;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.communication.ODataClientErrorException;
import org.apache.olingo.client.api.communication.request.batch.BatchManager;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchRequest;
import org.apache.olingo.client.api.communication.request.batch.ODataBatchResponseItem;
import org.apache.olingo.client.api.communication.request.batch.ODataChangeset;
import org.apache.olingo.client.api.communication.request.cud.ODataEntityCreateRequest;
import org.apache.olingo.client.api.communication.request.cud.ODataEntityUpdateRequest;
import org.apache.olingo.client.api.communication.request.cud.UpdateType;
import org.apache.olingo.client.api.communication.request.retrieve.ODataEntityRequest;
import org.apache.olingo.client.api.communication.response.ODataBatchResponse;
import org.apache.olingo.client.api.communication.response.ODataEntityCreateResponse;
import org.apache.olingo.client.api.communication.response.ODataResponse;
import org.apache.olingo.client.api.communication.response.ODataRetrieveResponse;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientObjectFactory;
import org.apache.olingo.client.api.domain.ClientProperty;
import org.apache.olingo.client.api.http.HttpClientException;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.client.core.http.DefaultHttpClientFactory;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeException;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real-client compatibility: Apache Olingo's own OData v4 Java client ({@code odata-client-core}) sends a
 * {@code $batch} with one changeset and reads the multipart answer. No raw HTTP anywhere in this class: every
 * request (helpers, batch, read-back) goes through the Olingo client.
 *
 * <p>What the client puts on the wire (odata-client-core 5.0.0): outer {@code multipart/mixed;boundary=batch_<uuid>},
 * {@code Accept: multipart/mixed}, chunked body; one nested {@code multipart/mixed;boundary=changeset_<uuid>};
 * every operation {@code Content-Type: application/http}, {@code Content-Transfer-Encoding: binary},
 * {@code Content-ID:<n>} (n counts from 1 per batch) as a MIME header AND again as {@code Content-ID: <n>} among the
 * inner request headers; request lines are ABSOLUTE URLs ({@code PATCH http://127.0.0.1:port/api/data/v9.2/...});
 * inner headers {@code Content-Type/Accept: application/json;odata.metadata=full}, {@code OData-Version},
 * {@code OData-MaxVersion}, {@code If-Match}; JSON bodies carry {@code @odata.type} and {@code <prop>@odata.type}
 * annotations (full metadata) and lookups as {@code <nav>@odata.bind}; CRLF line endings throughout.
 *
 * <p>The bearer token is added to every HTTP request by an HttpClient interceptor (the server answers 401 without
 * {@code Authorization: Bearer <token>}); batch parts are not HTTP requests of their own, so they need none.
 */
@DvemuTest(reset = Reset.NEVER)
class OlingoClientBatchTest {
    static Dvemu dvemu;

    private static final String TOKEN = "test-token";
    private static final String NS = "Microsoft.Dynamics.CRM";
    private static final int PENDING = 100000000;
    private static final int CONFIRMED = 100000001;

    private static String serviceRoot;
    private static ODataClient client;

    @BeforeAll
    static void startServer() {
        serviceRoot = dvemu.webApiUrl().toString(); // e.g. http://127.0.0.1:41234/api/data/v9.2/
        client = newClient(false);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) one changeset: create a slot bound to the stock, confirm the booking, lower the stock under If-Match
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void changesetCommitsAllThreeOperations() throws Exception {
        UUID stockId = createStock("olingo-a-stock", 5, 0);
        UUID bookingId = createBooking("olingo-a-booking", stockId);
        String stockEtag = retrieve("new_stocks", stockId).getETag();
        assertNotNull(stockEtag, "the stock is read with its @odata.etag");
        UUID slotId = UUID.randomUUID();

        ODataBatchRequest batch = client.getBatchRequestFactory().getBatchRequest(serviceRoot);
        BatchManager payload = batch.payloadManager();
        ODataChangeset changeset = payload.addChangeset();

        changeset.addRequest(createSlotRequest(slotId, "olingo-a-slot", 1, stockId, bookingId));
        int createContentId = changeset.getLastContentId();
        changeset.addRequest(patchRequest("new_bookings", bookingId, intProperty("new_status", CONFIRMED), null));
        ODataEntityUpdateRequest<ClientEntity> stockPatch =
                patchRequest("new_stocks", stockId, intProperty("new_availablecount", 4), stockEtag);
        changeset.addRequest(stockPatch);
        int lastContentId = changeset.getLastContentId();

        assertEquals(1, createContentId, "the client numbers Content-IDs from 1 within a batch");
        assertEquals(3, lastContentId);

        ODataBatchResponse response = payload.getResponse();
        try {
            assertEquals(200, response.getStatusCode());
            Iterator<ODataBatchResponseItem> items = response.getBody();
            assertTrue(items.hasNext(), "one batch item expected");
            ODataBatchResponseItem item = items.next();
            assertTrue(item.isChangeset(), "the answer to a changeset is a (nested multipart) changeset item");

            List<ODataResponse> answers = drain(item);
            assertEquals(3, answers.size(), "one answer per operation of the changeset");
            for (ODataResponse answer : answers) {
                int status = answer.getStatusCode();
                assertTrue(status >= 200 && status < 300, "changeset operation answered " + status);
            }
            // the client matches answers to requests by Content-ID, so the create's answer has the create's type
            ODataResponse created = answers.stream()
                    .filter(r -> r instanceof ODataEntityCreateResponse).findFirst().orElseThrow();
            assertTrue(created.getStatusCode() == 204 || created.getStatusCode() == 201);
            String entityId = first(created, "OData-EntityId");
            assertNotNull(entityId, "a create answers with OData-EntityId");
            assertTrue(entityId.toLowerCase().contains(slotId.toString()), entityId);
            assertFalse(items.hasNext(), "exactly one batch item");
        } finally {
            response.close();
        }

        // read everything back with the client's retrieve request
        ClientEntity slot = retrieve("new_bookingslots", slotId);
        assertEquals("olingo-a-slot", string(slot, "new_name"));
        assertEquals(1, integer(slot, "new_slotnumber"));
        assertEquals(stockId.toString(), string(slot, "_new_stockid_value").toLowerCase());
        assertEquals(bookingId.toString(), string(slot, "_new_bookingid_value").toLowerCase());

        ClientEntity booking = retrieve("new_bookings", bookingId);
        assertEquals(CONFIRMED, integer(booking, "new_status"));

        ClientEntity stock = retrieve("new_stocks", stockId);
        assertEquals(4, integer(stock, "new_availablecount"));
        assertNotEquals(stockEtag, stock.getETag(), "the PATCH moved the stock's version on");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (b) the same changeset with a stale ETag on the stock: nothing of it is committed, the item reports 412
    // ---------------------------------------------------------------------------------------------------------

    /**
     * With {@code Prefer: odata.continue-on-error} (the client's {@code setContinueOnError(true)}) the outer status
     * is 200, so the client reads the multipart body and hands out the failed changeset's single answer: 412.
     */
    @Test
    void staleEtagFailsTheWholeChangeset_itemReports412() throws Exception {
        Fixture f = staleFixture("olingo-b1");
        ODataClient continuing = newClient(true);

        BatchManager payload = staleChangeset(continuing, f);
        ODataBatchResponse response = payload.getResponse();
        try {
            assertEquals(200, response.getStatusCode(), "continue-on-error: the batch itself succeeded");
            Iterator<ODataBatchResponseItem> items = response.getBody();
            ODataBatchResponseItem item = items.next();
            assertTrue(item.isChangeset());
            assertTrue(item.hasNext());
            ODataResponse failed = item.next();
            // the client matched the answer to the stock PATCH by its echoed Content-ID (3)
            assertEquals(412, failed.getStatusCode());
            // Do NOT drain further: with continue-on-error Olingo's ODataChangesetResponseItem does not stop at a
            // failed operation (it only sets 'breaking' when !continueOnError), so hasNext() stays true while
            // operations 1 and 2 have no answer, and next() throws IllegalStateException("Expected item not found")
            // at the closing changesetresponse boundary. A failed changeset framed as a bare application/http part
            // (not nested) would instead take the client's 'unexpected' path and end the item cleanly.
        } finally {
            response.close();
        }

        assertStaleChangesetLeftNoTrace(f);
    }

    /**
     * Without continue-on-error the server (like Dataverse) answers the batch itself with 400. Olingo's client
     * treats any outer status >= 400 as a failed request: {@code getResponse()} throws (the executor's failure
     * wrapped in {@link HttpClientException}) and the multipart body - which still holds the 412 - is only
     * available as the raw response of the {@link ODataClientErrorException}.
     */
    @Test
    void staleEtagWithoutContinueOnError_outer400SurfacesAsClientException() throws Exception {
        Fixture f = staleFixture("olingo-b2");

        BatchManager payload = staleChangeset(client, f);
        HttpClientException thrown = assertThrows(HttpClientException.class, payload::getResponse);
        ODataClientErrorException error = causeOfType(thrown, ODataClientErrorException.class);
        assertNotNull(error, "cause chain: " + thrown);
        assertEquals(400, error.getStatusLine().getStatusCode());
        String body = read(error.getRawResponse());
        assertTrue(body.contains("HTTP/1.1 412"), body);
        assertTrue(body.contains("Content-ID: 3"), "the failing operation's Content-ID is echoed: " + body);

        assertStaleChangesetLeftNoTrace(f);
    }

    private record Fixture(UUID stockId, UUID bookingId, UUID slotId, String staleEtag, String currentEtag) {
    }

    private static Fixture staleFixture(String prefix) throws Exception {
        UUID stockId = createStock(prefix + "-stock", 5, 0);
        UUID bookingId = createBooking(prefix + "-booking", stockId);
        String staleEtag = retrieve("new_stocks", stockId).getETag();
        // someone else changes the stock: the ETag we hold is now stale
        ODataEntityUpdateRequest<ClientEntity> concurrent =
                patchRequest("new_stocks", stockId, intProperty("new_bookedcount", 1), null);
        assertEquals(204, concurrent.execute().getStatusCode());
        String currentEtag = retrieve("new_stocks", stockId).getETag();
        assertNotEquals(staleEtag, currentEtag);
        return new Fixture(stockId, bookingId, UUID.randomUUID(), staleEtag, currentEtag);
    }

    private static BatchManager staleChangeset(ODataClient c, Fixture f) {
        ODataBatchRequest batch = c.getBatchRequestFactory().getBatchRequest(serviceRoot);
        BatchManager payload = batch.payloadManager();
        ODataChangeset changeset = payload.addChangeset();
        changeset.addRequest(createSlotRequest(c, f.slotId(), "stale-slot", 1, f.stockId(), f.bookingId()));
        changeset.addRequest(patchRequest(c, "new_bookings", f.bookingId(), intProperty(c, "new_status", CONFIRMED), null));
        changeset.addRequest(patchRequest(c, "new_stocks", f.stockId(), intProperty(c, "new_availablecount", 4), f.staleEtag()));
        return payload;
    }

    private static void assertStaleChangesetLeftNoTrace(Fixture f) throws Exception {
        ODataClientErrorException notFound = assertThrows(ODataClientErrorException.class,
                () -> retrieve("new_bookingslots", f.slotId()));
        assertEquals(404, notFound.getStatusLine().getStatusCode(), "the slot of the failed changeset was rolled back");

        assertEquals(PENDING, integer(retrieve("new_bookings", f.bookingId()), "new_status"), "booking unchanged");
        ClientEntity stock = retrieve("new_stocks", f.stockId());
        assertEquals(5, integer(stock, "new_availablecount"), "stock unchanged");
        assertEquals(f.currentEtag(), stock.getETag());
    }

    // ---------------------------------------------------------------------------------------------------------
    // client set-up and helpers (all through the Olingo client)
    // ---------------------------------------------------------------------------------------------------------

    /** Adds {@code Authorization: Bearer <token>} to every HTTP request the client sends (batch, CUD, retrieve). */
    @SuppressWarnings("deprecation") // Olingo 5.0.0's factories are built on HttpClient 4's DefaultHttpClient
    static final class BearerTokenHttpClientFactory extends DefaultHttpClientFactory {
        private final String token;

        BearerTokenHttpClientFactory(String token) {
            this.token = token;
        }

        @Override
        public DefaultHttpClient create(HttpMethod method, URI uri) {
            DefaultHttpClient httpClient = super.create(method, uri);
            httpClient.addRequestInterceptor((HttpRequestInterceptor) (request, context) ->
                    request.setHeader("Authorization", "Bearer " + token));
            return httpClient;
        }
    }

    /**
     * A plain (not Edm-enabled) client: it needs no {@code $metadata}. Left at its defaults (JSON full metadata
     * for bodies and Accept, multipart/mixed for the batch Accept) to prove the server copes with what the client
     * sends out of the box.
     */
    static ODataClient newClient(boolean continueOnError) {
        ODataClient c = ODataClientFactory.getClient();
        c.getConfiguration().setHttpClientFactory(new BearerTokenHttpClientFactory(TOKEN));
        c.getConfiguration().setContinueOnError(continueOnError);
        assertEquals(ContentType.JSON_FULL_METADATA, c.getConfiguration().getDefaultPubFormat());
        return c;
    }

    private static URI rowUri(ODataClient c, String entitySet, UUID id) {
        return c.newURIBuilder(serviceRoot).appendEntitySetSegment(entitySet).appendKeySegment(id).build();
    }

    private static URI setUri(ODataClient c, String entitySet) {
        return c.newURIBuilder(serviceRoot).appendEntitySetSegment(entitySet).build();
    }

    private static ClientProperty intProperty(String name, int value) {
        return intProperty(client, name, value);
    }

    private static ClientProperty intProperty(ODataClient c, String name, int value) {
        ClientObjectFactory of = c.getObjectFactory();
        return of.newPrimitiveProperty(name, of.newPrimitiveValueBuilder().buildInt32(value));
    }

    private static ClientProperty stringProperty(ODataClient c, String name, String value) {
        ClientObjectFactory of = c.getObjectFactory();
        return of.newPrimitiveProperty(name, of.newPrimitiveValueBuilder().buildString(value));
    }

    private static ClientProperty guidProperty(ODataClient c, String name, UUID value) {
        ClientObjectFactory of = c.getObjectFactory();
        return of.newPrimitiveProperty(name, of.newPrimitiveValueBuilder().buildGuid(value));
    }

    private static ODataEntityCreateRequest<ClientEntity> createSlotRequest(
            UUID slotId, String name, int slotNumber, UUID stockId, UUID bookingId) {
        return createSlotRequest(client, slotId, name, slotNumber, stockId, bookingId);
    }

    /** {@code POST new_bookingslots} with {@code new_StockId@odata.bind} / {@code new_BookingId@odata.bind}. */
    private static ODataEntityCreateRequest<ClientEntity> createSlotRequest(
            ODataClient c, UUID slotId, String name, int slotNumber, UUID stockId, UUID bookingId) {
        ClientObjectFactory of = c.getObjectFactory();
        ClientEntity slot = of.newEntity(new FullQualifiedName(NS, "new_bookingslot"));
        slot.getProperties().add(guidProperty(c, "new_bookingslotid", slotId));
        slot.getProperties().add(stringProperty(c, "new_name", name));
        slot.getProperties().add(intProperty(c, "new_slotnumber", slotNumber));
        // a non-inline ENTITY_NAVIGATION link is written as "<name>@odata.bind": "<href>" (JsonSerializer.clientLinks)
        slot.getNavigationLinks().add(of.newEntityNavigationLink("new_StockId", rowUri(c, "new_stocks", stockId)));
        slot.getNavigationLinks().add(of.newEntityNavigationLink("new_BookingId", rowUri(c, "new_bookings", bookingId)));
        return c.getCUDRequestFactory().getEntityCreateRequest(setUri(c, "new_bookingslots"), slot);
    }

    private static ODataEntityUpdateRequest<ClientEntity> patchRequest(
            String entitySet, UUID id, ClientProperty change, String ifMatch) {
        return patchRequest(client, entitySet, id, change, ifMatch);
    }

    private static ODataEntityUpdateRequest<ClientEntity> patchRequest(
            ODataClient c, String entitySet, UUID id, ClientProperty change, String ifMatch) {
        String type = entitySet.substring(0, entitySet.length() - 1); // new_stocks -> new_stock
        ClientEntity changes = c.getObjectFactory().newEntity(new FullQualifiedName(NS, type));
        changes.getProperties().add(change);
        ODataEntityUpdateRequest<ClientEntity> req = c.getCUDRequestFactory()
                .getEntityUpdateRequest(rowUri(c, entitySet, id), UpdateType.PATCH, changes);
        if (ifMatch != null) {
            req.setIfMatch(ifMatch);
        }
        return req;
    }

    private static UUID createStock(String name, int available, int booked) {
        UUID id = UUID.randomUUID();
        ClientEntity stock = client.getObjectFactory().newEntity(new FullQualifiedName(NS, "new_stock"));
        stock.getProperties().add(guidProperty(client, "new_stockid", id));
        stock.getProperties().add(stringProperty(client, "new_name", name));
        stock.getProperties().add(intProperty("new_availablecount", available));
        stock.getProperties().add(intProperty("new_bookedcount", booked));
        create("new_stocks", stock);
        return id;
    }

    private static UUID createBooking(String name, UUID stockId) {
        UUID id = UUID.randomUUID();
        ClientObjectFactory of = client.getObjectFactory();
        ClientEntity booking = of.newEntity(new FullQualifiedName(NS, "new_booking"));
        booking.getProperties().add(guidProperty(client, "new_bookingid", id));
        booking.getProperties().add(stringProperty(client, "new_name", name));
        booking.getProperties().add(intProperty("new_status", PENDING));
        booking.getNavigationLinks().add(of.newEntityNavigationLink("new_StockId", rowUri(client, "new_stocks", stockId)));
        create("new_bookings", booking);
        return id;
    }

    private static void create(String entitySet, ClientEntity entity) {
        ODataEntityCreateRequest<ClientEntity> req =
                client.getCUDRequestFactory().getEntityCreateRequest(setUri(client, entitySet), entity);
        ODataEntityCreateResponse<ClientEntity> res = req.execute();
        try {
            assertEquals(204, res.getStatusCode(), "Dataverse answers a create without Prefer with 204");
        } finally {
            res.close();
        }
    }

    private static ClientEntity retrieve(String entitySet, UUID id) {
        ODataEntityRequest<ClientEntity> req =
                client.getRetrieveRequestFactory().getEntityRequest(rowUri(client, entitySet, id));
        ODataRetrieveResponse<ClientEntity> res = req.execute();
        try {
            assertEquals(200, res.getStatusCode());
            return res.getBody();
        } finally {
            res.close();
        }
    }

    /** All answers of one batch item, in wire order (the client stops after a failed operation). */
    private static List<ODataResponse> drain(ODataBatchResponseItem item) {
        List<ODataResponse> out = new ArrayList<>();
        while (item.hasNext()) {
            out.add(item.next());
        }
        return out;
    }

    private static String first(ODataResponse response, String header) {
        var values = response.getHeader(header);
        return values == null || values.isEmpty() ? null : values.iterator().next();
    }

    private static String string(ClientEntity entity, String name) {
        ClientProperty p = entity.getProperty(name);
        assertNotNull(p, name + " missing from " + entity);
        return p.getPrimitiveValue().toString();
    }

    private static int integer(ClientEntity entity, String name) throws EdmPrimitiveTypeException {
        ClientProperty p = entity.getProperty(name);
        assertNotNull(p, name + " missing from " + entity);
        // the plain client has no $metadata: JSON numbers arrive untyped, so cast rather than expect Integer
        return p.getPrimitiveValue().toCastValue(Integer.class);
    }

    private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String read(InputStream in) throws IOException {
        assertNotNull(in, "raw response body");
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
