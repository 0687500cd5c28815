package dev.dvemu.server.relationships;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.olingo.client.api.ODataClient;
import org.apache.olingo.client.api.communication.response.ODataReferenceAddingResponse;
import org.apache.olingo.client.api.communication.response.ODataRetrieveResponse;
import org.apache.olingo.client.api.domain.ClientEntity;
import org.apache.olingo.client.api.domain.ClientEntitySet;
import org.apache.olingo.client.api.domain.ClientLink;
import org.apache.olingo.client.core.ODataClientFactory;
import org.apache.olingo.client.core.http.DefaultHttpClientFactory;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Apache Olingo's OData v4 Java client associates rows with {@code $ref} and reads them back with {@code $expand}. */
@DvemuTest(reset = Reset.NEVER)
class OlingoClientRelationshipsTest {
    static Dvemu dvemu;
    private static String serviceRoot;
    private static ODataClient client;

    @BeforeAll
    static void connect() {
        serviceRoot = dvemu.webApiUrl().toString();
        // the EDM-enabled client reads $metadata, so it knows which JSON properties are navigation properties
        client = ODataClientFactory.getEdmEnabledClient(serviceRoot);
        client.getConfiguration().setHttpClientFactory(new DefaultHttpClientFactory() {
            @Override
            public DefaultHttpClient create(HttpMethod method, URI uri) {
                DefaultHttpClient http = super.create(method, uri);
                http.addRequestInterceptor((HttpRequestInterceptor) (request, context) ->
                        request.setHeader("Authorization", "Bearer test-token"));
                return http;
            }
        });
    }

    private static UUID create(String set, String json) {
        return UUID.fromString(Api.create(dvemu, set, json));
    }

    @Test
    void theOlingoClientAssociatesAndExpands() {
        UUID account = create("accounts", "{\"name\":\"olingo " + UUID.randomUUID() + "\"}");
        UUID contact = create("contacts", "{\"fullname\":\"Olingo Contact\"}");
        URI collection = client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").appendKeySegment(account)
                .appendNavigationSegment("contact_customer_accounts").appendRefSegment().build();
        URI related = client.newURIBuilder(serviceRoot).appendEntitySetSegment("contacts").appendKeySegment(contact).build();
        ODataReferenceAddingResponse added;
        try {
            added = client.getCUDRequestFactory().getReferenceAddingRequest(URI.create(serviceRoot), collection, related).execute();
        } catch (org.apache.olingo.client.api.communication.ODataServerErrorException e) {
            throw new AssertionError(e.getMessage() + " / " + dvemu.requests(), e);
        }
        assertEquals(204, added.getStatusCode());

        URI expanded = client.newURIBuilder(serviceRoot).appendEntitySetSegment("accounts").appendKeySegment(account)
                .expandWithSelect("contact_customer_accounts", "fullname").build();
        ODataRetrieveResponse<ClientEntity> response = client.getRetrieveRequestFactory().getEntityRequest(expanded).execute();
        assertEquals(200, response.getStatusCode());
        ClientLink link = response.getBody().getNavigationLink("contact_customer_accounts");
        assertNotNull(link, "the client reads the expansion as an inline navigation link");
        ClientEntitySet contacts = link.asInlineEntitySet().getEntitySet();
        List<String> names = new ArrayList<>();
        for (ClientEntity c : contacts.getEntities()) {
            names.add(c.getProperty("fullname").getPrimitiveValue().toString());
        }
        assertEquals(List.of("Olingo Contact"), names);
    }

    @Test
    void theOlingoClientLinksManyToManyRowsAndReadsThemFromTheOtherSide() throws Exception {
        UUID booking = create("new_bookings", "{\"new_name\":\"olingo " + UUID.randomUUID() + "\"}");
        UUID contact = create("contacts", "{\"fullname\":\"Olingo Attendee\"}");
        URI collection = client.newURIBuilder(serviceRoot).appendEntitySetSegment("new_bookings").appendKeySegment(booking)
                .appendNavigationSegment("new_booking_contact").appendRefSegment().build();
        URI related = client.newURIBuilder(serviceRoot).appendEntitySetSegment("contacts").appendKeySegment(contact).build();
        assertEquals(204, client.getCUDRequestFactory().getReferenceAddingRequest(URI.create(serviceRoot), collection, related)
                .execute().getStatusCode());

        URI fromContact = client.newURIBuilder(serviceRoot).appendEntitySetSegment("contacts").appendKeySegment(contact)
                .appendNavigationSegment("new_booking_contact").build();
        ClientEntitySet bookings = client.getRetrieveRequestFactory().getEntitySetRequest(fromContact).execute().getBody();
        assertEquals(1, bookings.getEntities().size());
        assertEquals(booking, bookings.getEntities().get(0).getProperty("new_bookingid").getPrimitiveValue().toCastValue(UUID.class));
    }
}
