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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code GET $metadata}: the CSDL as Dataverse shapes it ({@link CsdlDocument}), rendered once per server, on a thread
 * of its own from start-up on: an org's 800 tables take seconds to render, which start-up need not wait for, and the
 * first request waits only for what is left. The EDM's schemas are built here, before requests run, so that the
 * rendering thread and request threads never both build them (Olingo builds them unguarded).
 */
public final class MetadataDocumentProcessor implements MetadataProcessor {
    private final CompletableFuture<byte[]> document;

    public MetadataDocumentProcessor(ServiceMetadata metadata) {
        metadata.getEdm().getSchemas();
        this.document = new CompletableFuture<>();
        Thread render = new Thread(() -> {
            try {
                document.complete(CsdlDocument.render(metadata));
            } catch (RuntimeException | Error e) {
                document.completeExceptionally(e);
            }
        }, "dvemu-metadata-document");
        render.setDaemon(true);
        render.start();
    }

    private byte[] document() {
        try {
            return document.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // shared across requests
    }

    @Override
    public void readMetadata(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        response.setContent(new ByteArrayInputStream(document()));
        response.setStatusCode(HttpStatusCode.OK.getStatusCode());
        response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
    }
}
