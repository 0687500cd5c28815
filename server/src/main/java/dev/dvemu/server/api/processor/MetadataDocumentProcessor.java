package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.edm.CsdlDocument;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.MetadataProcessor;
import org.apache.olingo.server.api.uri.UriInfo;

import java.io.ByteArrayInputStream;

/** {@code GET $metadata}: the CSDL as Dataverse shapes it ({@link CsdlDocument}), rendered once per server. */
public final class MetadataDocumentProcessor implements MetadataProcessor {
    private final byte[] document;

    public MetadataDocumentProcessor(ServiceMetadata metadata) {
        this.document = CsdlDocument.render(metadata);
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests
    }

    @Override
    public void readMetadata(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        response.setContent(new ByteArrayInputStream(document));
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
    }
}
