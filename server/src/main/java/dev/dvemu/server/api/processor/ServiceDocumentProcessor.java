package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Requests;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dvemu.server.metadata.TableDef;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.uri.UriInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The service document at the root, as Dataverse writes it (§10): an absolute {@code @odata.context} and
 * {@code "kind":"EntitySet"} on every entry (Olingo's default omits both).
 */
public final class ServiceDocumentProcessor implements org.apache.olingo.server.api.processor.ServiceDocumentProcessor {
    private static final JsonFactory JSON = new JsonFactory();
    private final Api api;

    public ServiceDocumentProcessor(Api api) {
        this.api = api;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests
    }

    @Override
    public void readServiceDocument(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", Requests.serviceRoot(request) + "$metadata");
            g.writeArrayFieldStart("value");
            for (TableDef t : api.catalog().tables()) {
                g.writeStartObject();
                g.writeStringField("name", t.entitySetName());
                g.writeStringField("kind", "EntitySet");
                g.writeStringField("url", t.entitySetName());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Requests.json(response, 200, out.toByteArray());
    }
}
