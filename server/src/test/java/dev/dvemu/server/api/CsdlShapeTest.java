package dev.dvemu.server.api;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code $metadata} in the shape a real org's CSDL has (shared/fixtures/csdl/odata-client-dynamics-v9.1): the abstract
 * {@code crmbaseentity} every table derives from, entity sets and imports naming types by the full namespace, strings
 * {@code Unicode="false"} without a length, decimals {@code Scale="Variable"}, single-valued navigation properties
 * {@code Nullable="false"}, and alternate keys as {@code OData.Community.Keys.V1.AlternateKeys}.
 */
@DvemuTest(reset = Reset.NEVER)
class CsdlShapeTest {
    static Dvemu dvemu;
    private static Document csdl;

    @BeforeAll
    static void read() throws Exception {
        byte[] xml = Api.given(dvemu).get("$metadata").then().statusCode(200).extract().asByteArray();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        csdl = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    @Test
    void crmbaseentityIsAbstractWithoutKeyOrProperties() {
        Element base = named("EntityType", "crmbaseentity");
        assertEquals("true", base.getAttribute("Abstract"));
        assertEquals(0, base.getChildNodes().getLength() - whitespace(base), "no Key, Property or NavigationProperty");
        Element expando = named("EntityType", "expando");
        assertEquals("mscrm.crmbaseentity", expando.getAttribute("BaseType"));
        assertEquals("true", expando.getAttribute("OpenType"));
    }

    @Test
    void everyTableDerivesFromCrmbaseentityAndDeclaresItsOwnKey() {
        Element account = named("EntityType", "account");
        assertEquals("mscrm.crmbaseentity", account.getAttribute("BaseType"));
        assertEquals("", account.getAttribute("Abstract"));
        assertEquals("accountid", ((Element) children(children(account, "Key").get(0), "PropertyRef").get(0)).getAttribute("Name"));
        Element id = property(account, "accountid");
        assertEquals("Edm.Guid", id.getAttribute("Type"));
        assertEquals("", id.getAttribute("Nullable"), "Dataverse leaves the key's Nullable out");
    }

    @Test
    void stringsAreNotUnicodeAndHaveNoMaxLength() {
        Element name = property(named("EntityType", "account"), "name");
        assertEquals("Edm.String", name.getAttribute("Type"));
        assertEquals("false", name.getAttribute("Unicode"));
        assertEquals("", name.getAttribute("MaxLength"));
    }

    @Test
    void decimalsAndMoneyHaveAVariableScale() {
        Element revenue = property(named("EntityType", "account"), "revenue");
        assertEquals("Edm.Decimal", revenue.getAttribute("Type"));
        assertEquals("Variable", revenue.getAttribute("Scale"));
    }

    @Test
    void choicesAreInt32Properties() {
        assertEquals("Edm.Int32", property(named("EntityType", "new_booking"), "new_status").getAttribute("Type"));
    }

    @Test
    void aLookupIsAValuePropertyAndANonNullableNavigationPropertyWithAReferentialConstraint() {
        Element contact = named("EntityType", "contact");
        assertEquals("Edm.Guid", property(contact, "_parentcustomerid_value").getAttribute("Type"));
        Element nav = child(contact, "NavigationProperty", "parentcustomerid_account");
        assertEquals("mscrm.account", nav.getAttribute("Type"));
        assertEquals("false", nav.getAttribute("Nullable"));
        assertEquals("contact_customer_accounts", nav.getAttribute("Partner"));
        Element constraint = (Element) children(nav, "ReferentialConstraint").get(0);
        assertEquals("_parentcustomerid_value", constraint.getAttribute("Property"));
        assertEquals("accountid", constraint.getAttribute("ReferencedProperty"));
        Element many = child(named("EntityType", "account"), "NavigationProperty", "contact_customer_accounts");
        assertEquals("Collection(mscrm.contact)", many.getAttribute("Type"));
        assertEquals("", many.getAttribute("Nullable"));
    }

    @Test
    void entitySetsNameTheirTypeWithTheFullNamespace() {
        Element container = (Element) csdl.getElementsByTagNameNS("*", "EntityContainer").item(0);
        assertEquals("System", container.getAttribute("Name"));
        Element accounts = named("EntitySet", "accounts");
        assertEquals("Microsoft.Dynamics.CRM.account", accounts.getAttribute("EntityType"));
        boolean bound = false;
        for (Element b : children(accounts, "NavigationPropertyBinding")) {
            bound |= b.getAttribute("Path").equals("primarycontactid") && b.getAttribute("Target").equals("contacts");
        }
        assertTrue(bound, "lookup bound to its table's entity set");
    }

    @Test
    void whoAmIIsAFunctionWithAnImportNamingItByTheFullNamespace() {
        Element whoAmI = named("Function", "WhoAmI");
        assertEquals("", whoAmI.getAttribute("IsBound"));
        assertEquals("mscrm.WhoAmIResponse", ((Element) children(whoAmI, "ReturnType").get(0)).getAttribute("Type"));
        assertEquals("Microsoft.Dynamics.CRM.WhoAmI", named("FunctionImport", "WhoAmI").getAttribute("Function"));
        Element response = named("ComplexType", "WhoAmIResponse");
        assertEquals("Edm.Guid", property(response, "UserId").getAttribute("Type"));
    }

    @Test
    void alternateKeysAreAnnotatedOnTheEntityType() {
        Element account = named("EntityType", "account");
        Element annotation = null;
        for (Element a : children(account, "Annotation")) {
            if (a.getAttribute("Term").equals("OData.Community.Keys.V1.AlternateKeys")) {
                annotation = a;
            }
        }
        assertTrue(annotation != null, "AlternateKeys annotation on account");
        Element key = (Element) annotation.getElementsByTagNameNS("*", "Record").item(0);
        assertEquals("OData.Community.Keys.V1.AlternateKey", key.getAttribute("Type"));
        Element ref = (Element) key.getElementsByTagNameNS("*", "Record").item(0);
        assertEquals("OData.Community.Keys.V1.PropertyRef", ref.getAttribute("Type"));
        List<Element> values = children(ref, "PropertyValue");
        assertEquals("Alias", values.get(0).getAttribute("Property"));
        assertEquals("accountnumber", expression(values.get(0), "String"));
        assertEquals("Name", values.get(1).getAttribute("Property"));
        assertEquals("accountnumber", expression(values.get(1), "PropertyPath"));
        assertTrue(children(named("EntityType", "new_stock"), "Annotation").isEmpty(), "no keys, no annotation");
    }

    @Test
    void noVocabularyIsReferencedSoClientsThatFollowReferencesNeedNoOtherHost() {
        // Dataverse references vocabularies.odata.org; Olingo's EDM-enabled client fetches every reference first
        assertEquals(0, csdl.getElementsByTagNameNS("http://docs.oasis-open.org/odata/ns/edmx", "Reference").getLength());
    }

    // ---------- helpers ----------

    private static Element named(String element, String name) {
        NodeList nodes = csdl.getElementsByTagNameNS("*", element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("Name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + element + " named " + name);
    }

    /**
     * A constant or path expression: Dataverse writes it as an attribute ({@code String="x"}), Olingo as an element
     * ({@code <String>x</String>}); CSDL 4.0 §14.4 makes the two the same.
     */
    private static String expression(Element e, String kind) {
        if (e.hasAttribute(kind)) {
            return e.getAttribute(kind);
        }
        List<Element> element = children(e, kind);
        return element.isEmpty() ? "" : element.get(0).getTextContent();
    }

    private static Element property(Element type, String name) {
        return child(type, "Property", name);
    }

    private static Element child(Element parent, String element, String name) {
        for (Element e : children(parent, element)) {
            if (e.getAttribute("Name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + element + " named " + name + " in " + parent.getAttribute("Name"));
    }

    private static List<Element> children(org.w3c.dom.Node parent, String element) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getLocalName().equals(element)) {
                found.add(e);
            }
        }
        return found;
    }

    private static int whitespace(Element e) {
        int n = 0;
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (!(nodes.item(i) instanceof Element)) {
                n++;
            }
        }
        return n;
    }
}
