package dev.dvemu.server.api.edm;

import javax.xml.namespace.NamespaceContext;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Map;

/**
 * Olingo's CSDL serializer writing through this gives Dataverse's spelling of the few names it qualifies differently.
 * Olingo writes every qualified name with the schema's alias; a real org's {@code $metadata} (shared/fixtures/csdl)
 * uses the alias ({@code mscrm.account}) only in type positions and the full namespace where the container names a
 * type or operation ({@code <EntitySet EntityType="Microsoft.Dynamics.CRM.account">}, {@code <FunctionImport
 * Function="Microsoft.Dynamics.CRM.WhoAmI">}) and in annotation terms and record types
 * ({@code OData.Community.Keys.V1.AlternateKeys}, not {@code Keys.AlternateKeys}); and it leaves out
 * {@code IsBound="false"}, which Olingo always writes on an action. Everything else passes through unchanged.
 */
final class DataverseCsdlWriter implements XMLStreamWriter {
    private final XMLStreamWriter out;
    /** alias → namespace, for every alias the document declares */
    private final Map<String, String> namespaces;
    /** the element whose attributes are being written */
    private String element = "";

    DataverseCsdlWriter(XMLStreamWriter out, Map<String, String> namespaces) {
        this.out = out;
        this.namespaces = Map.copyOf(namespaces);
    }

    @Override
    public void writeAttribute(String localName, String value) throws XMLStreamException {
        if (element.equals("Action") && localName.equals("IsBound") && value.equals("false")) {
            return;
        }
        out.writeAttribute(localName, fullyQualified(localName) ? unaliased(value) : value);
    }

    private boolean fullyQualified(String attribute) {
        switch (element) {
            case "EntitySet":
                return attribute.equals("EntityType");
            case "ActionImport":
                return attribute.equals("Action");
            case "FunctionImport":
                return attribute.equals("Function");
            case "Annotation":
                return attribute.equals("Term");
            case "Record":
                return attribute.equals("Type");
            default:
                return false;
        }
    }

    private String unaliased(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return name;
        }
        String namespace = namespaces.get(name.substring(0, dot));
        return namespace == null ? name : namespace + name.substring(dot);
    }

    @Override
    public void writeStartElement(String localName) throws XMLStreamException {
        element = localName;
        out.writeStartElement(localName);
    }

    @Override
    public void writeStartElement(String namespaceURI, String localName) throws XMLStreamException {
        element = localName;
        out.writeStartElement(namespaceURI, localName);
    }

    @Override
    public void writeStartElement(String prefix, String localName, String namespaceURI) throws XMLStreamException {
        element = localName;
        out.writeStartElement(prefix, localName, namespaceURI);
    }

    @Override
    public void writeEmptyElement(String namespaceURI, String localName) throws XMLStreamException {
        element = localName;
        out.writeEmptyElement(namespaceURI, localName);
    }

    @Override
    public void writeEmptyElement(String prefix, String localName, String namespaceURI) throws XMLStreamException {
        element = localName;
        out.writeEmptyElement(prefix, localName, namespaceURI);
    }

    @Override
    public void writeEmptyElement(String localName) throws XMLStreamException {
        element = localName;
        out.writeEmptyElement(localName);
    }

    @Override
    public void writeEndElement() throws XMLStreamException {
        element = "";
        out.writeEndElement();
    }

    @Override
    public void writeEndDocument() throws XMLStreamException {
        out.writeEndDocument();
    }

    @Override
    public void close() throws XMLStreamException {
        out.close();
    }

    @Override
    public void flush() throws XMLStreamException {
        out.flush();
    }

    @Override
    public void writeAttribute(String prefix, String namespaceURI, String localName, String value) throws XMLStreamException {
        out.writeAttribute(prefix, namespaceURI, localName, value);
    }

    @Override
    public void writeAttribute(String namespaceURI, String localName, String value) throws XMLStreamException {
        out.writeAttribute(namespaceURI, localName, value);
    }

    @Override
    public void writeNamespace(String prefix, String namespaceURI) throws XMLStreamException {
        out.writeNamespace(prefix, namespaceURI);
    }

    @Override
    public void writeDefaultNamespace(String namespaceURI) throws XMLStreamException {
        out.writeDefaultNamespace(namespaceURI);
    }

    @Override
    public void writeComment(String data) throws XMLStreamException {
        out.writeComment(data);
    }

    @Override
    public void writeProcessingInstruction(String target) throws XMLStreamException {
        out.writeProcessingInstruction(target);
    }

    @Override
    public void writeProcessingInstruction(String target, String data) throws XMLStreamException {
        out.writeProcessingInstruction(target, data);
    }

    @Override
    public void writeCData(String data) throws XMLStreamException {
        out.writeCData(data);
    }

    @Override
    public void writeDTD(String dtd) throws XMLStreamException {
        out.writeDTD(dtd);
    }

    @Override
    public void writeEntityRef(String name) throws XMLStreamException {
        out.writeEntityRef(name);
    }

    @Override
    public void writeStartDocument() throws XMLStreamException {
        out.writeStartDocument();
    }

    @Override
    public void writeStartDocument(String version) throws XMLStreamException {
        out.writeStartDocument(version);
    }

    @Override
    public void writeStartDocument(String encoding, String version) throws XMLStreamException {
        out.writeStartDocument(encoding, version);
    }

    @Override
    public void writeCharacters(String text) throws XMLStreamException {
        out.writeCharacters(text);
    }

    @Override
    public void writeCharacters(char[] text, int start, int len) throws XMLStreamException {
        out.writeCharacters(text, start, len);
    }

    @Override
    public String getPrefix(String uri) throws XMLStreamException {
        return out.getPrefix(uri);
    }

    @Override
    public void setPrefix(String prefix, String uri) throws XMLStreamException {
        out.setPrefix(prefix, uri);
    }

    @Override
    public void setDefaultNamespace(String uri) throws XMLStreamException {
        out.setDefaultNamespace(uri);
    }

    @Override
    public void setNamespaceContext(NamespaceContext context) throws XMLStreamException {
        out.setNamespaceContext(context);
    }

    @Override
    public NamespaceContext getNamespaceContext() {
        return out.getNamespaceContext();
    }

    @Override
    public Object getProperty(String name) {
        return out.getProperty(name);
    }
}
