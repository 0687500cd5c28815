package dev.dvemu.server.api.edm;

import org.apache.olingo.commons.api.edm.EdmSchema;
import org.apache.olingo.commons.api.edmx.EdmxReference;
import org.apache.olingo.commons.api.edmx.EdmxReferenceInclude;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.core.serializer.xml.MetadataDocumentXmlSerializer;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code $metadata} document: Olingo's CSDL serializer, written through {@link DataverseCsdlWriter} so that names
 * are qualified as Dataverse qualifies them. The schema does not change while the server runs and the document names
 * no host, so it is rendered once.
 */
public final class CsdlDocument {
    private CsdlDocument() {
    }

    public static byte[] render(ServiceMetadata metadata) {
        Map<String, String> namespaces = new HashMap<>();
        for (EdmxReference reference : metadata.getReferences()) {
            for (EdmxReferenceInclude include : reference.getIncludes()) {
                if (include.getAlias() != null) {
                    namespaces.put(include.getAlias(), include.getNamespace());
                }
            }
        }
        for (EdmSchema schema : metadata.getEdm().getSchemas()) {
            if (schema.getAlias() != null) {
                namespaces.put(schema.getAlias(), schema.getNamespace());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            new MetadataDocumentXmlSerializer(metadata).writeMetadataDocument(new DataverseCsdlWriter(xml, namespaces));
            xml.flush();
            xml.close();
        } catch (XMLStreamException | org.apache.olingo.server.api.serializer.SerializerException e) {
            throw new IllegalStateException("the CSDL could not be written", e);
        }
        return out.toByteArray();
    }
}
