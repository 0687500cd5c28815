package dev.dvemu.server.plugins;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.ParameterType;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.batch.BatchBody;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Custom APIs: declared by a plug-in package, listed in $metadata, called as actions and functions. */
class CustomApiTest {
    static Dvemu dvemu;

    /** The custom APIs and steps every test here calls. */
    static final PluginPackage APIS = registration -> {
        registration.customApi(CustomApi.action("new_Quote")
                .requestParameter("Amount", ParameterType.MONEY)
                .requestParameter("Count", ParameterType.INTEGER)
                .optionalRequestParameter("Note", ParameterType.STRING)
                .optionalRequestParameter("Tags", ParameterType.STRING_ARRAY)
                .responseProperty("Total", ParameterType.MONEY)
                .responseProperty("Label", ParameterType.STRING)
                .responseProperty("Tags", ParameterType.STRING_ARRAY)
                .responseProperty("Unset", ParameterType.BOOLEAN)
                .plugin(context -> {
                    BigDecimal amount = (BigDecimal) context.inputParameters().get("Amount");
                    int count = (Integer) context.inputParameters().get("Count");
                    context.outputParameters().put("Total", amount.multiply(BigDecimal.valueOf(count)));
                    context.outputParameters().put("Label", context.messageName() + "/" + context.primaryEntityName()
                            + "/" + context.stage().number() + "/" + context.sharedVariables().get("pre") + "/"
                            + context.inputParameters().getOrDefault("Note", "no note"));
                    context.outputParameters().put("Tags", context.inputParameters().getOrDefault("Tags", List.of()));
                }));
        registration.step(Step.on("new_Quote", "none").stage(Stage.PRE_OPERATION)
                .plugin(context -> context.sharedVariables().put("pre", context.isInTransaction())));
        registration.customApi(CustomApi.action("new_Log")
                .requestParameter("Name", ParameterType.STRING)
                .optionalRequestParameter("Fail", ParameterType.BOOLEAN)
                .optionalRequestParameter("Stock", ParameterType.ENTITY_REFERENCE, "new_stock")
                .plugin(context -> {
                    String name = (String) context.inputParameters().get("Name");
                    Object stock = context.inputParameters().get("Stock");
                    if (stock instanceof EntityReference ref) {
                        name = name + "@" + context.service().retrieve("new_stock", ref.id(), "new_name").get("new_name");
                    }
                    context.service().create(new Entity("new_stock").set("new_name", name).set("new_availablecount", 1));
                    if (Boolean.TRUE.equals(context.inputParameters().get("Fail"))) {
                        throw new InvalidPluginExecutionException("The log refuses " + name + ".");
                    }
                }));
        registration.customApi(CustomApi.action("new_Restock").boundTo("new_stock")
                .requestParameter("Add", ParameterType.INTEGER)
                .responseProperty("Available", ParameterType.INTEGER)
                .responseProperty("Stock", ParameterType.GUID)
                .plugin(context -> {
                    EntityReference target = context.targetReference();
                    Entity stock = context.service().retrieve("new_stock", target.id(), "new_availablecount");
                    int available = stock.get("new_availablecount", Integer.class).orElse(0)
                            + (Integer) context.inputParameters().get("Add");
                    context.service().update(new Entity("new_stock", target.id()).set("new_availablecount", available));
                    context.outputParameters().put("Available", available);
                    context.outputParameters().put("Stock", context.primaryEntityId().orElseThrow());
                }));
        registration.customApi(CustomApi.function("new_Price")
                .requestParameter("Amount", ParameterType.DECIMAL)
                .optionalRequestParameter("Rate", ParameterType.FLOAT)
                .optionalRequestParameter("Code", ParameterType.STRING)
                .responseProperty("Price", ParameterType.DECIMAL)
                .responseProperty("Code", ParameterType.STRING)
                .plugin(context -> {
                    double rate = (Double) context.inputParameters().getOrDefault("Rate", 1.0);
                    BigDecimal amount = (BigDecimal) context.inputParameters().get("Amount");
                    context.outputParameters().put("Price", amount.multiply(BigDecimal.valueOf(rate)));
                    context.outputParameters().put("Code", context.inputParameters().getOrDefault("Code", "none"));
                }));
        registration.customApi(CustomApi.function("new_StockName").boundTo("new_stock")
                .responseProperty("Name", ParameterType.STRING)
                .plugin(context -> context.outputParameters().put("Name",
                        context.service().retrieve("new_stock", context.targetReference().id(), "new_name").get("new_name"))));
        registration.customApi(CustomApi.action("new_Broken")
                .responseProperty("Count", ParameterType.INTEGER)
                .plugin(context -> context.outputParameters().put("Count", "three")));
    };

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().plugins(APIS).build());
    }

    @AfterAll
    static void stop() {
        dvemu.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response post(String path, String json) {
        return Api.given(dvemu).contentType("application/json").body(json).post(path);
    }

    private static String stock(String name, int available) {
        return post("new_stocks", "{\"new_name\":\"" + name + "\",\"new_availablecount\":" + available + "}")
                .then().statusCode(204).extract().header("OData-EntityId").replaceAll(".*\\((.*)\\)$", "$1");
    }

    private static int stocksNamed(String name) {
        return Api.given(dvemu).get("new_stocks?$filter=new_name eq '" + name + "'").then().statusCode(200)
                .extract().jsonPath().getList("value").size();
    }

    @Test
    void unboundActionAnswersItsResponseType() {
        post("new_Quote", "{\"Amount\":2.5,\"Count\":3,\"Note\":\"hi\",\"Tags\":[\"a\",\"b\"]}").then()
                .statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("application/json"))
                .body("'@odata.context'", endsWith("/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.new_QuoteResponse"))
                .body("Total", equalTo(7.5f))
                .body("Label", equalTo("new_Quote/none/30/true/hi"))
                .body("Tags", equalTo(List.of("a", "b")))
                .body("Unset", nullValue());
    }

    @Test
    void unboundActionWithoutResponseIsNoContentAndWrites() {
        String name = unique("log");
        post("new_Log", "{\"Name\":\"" + name + "\"}").then().statusCode(204);
        assertEquals(1, stocksNamed(name));
    }

    @Test
    void entityReferenceParameterReachesThePlugin() {
        String base = unique("base");
        String id = stock(base, 1);
        String name = unique("ref");
        post("new_Log", "{\"Name\":\"" + name + "\",\"Stock\":{\"@odata.type\":\"Microsoft.Dynamics.CRM.new_stock\","
                + "\"new_stockid\":\"" + id + "\"}}").then().statusCode(204);
        assertEquals(1, stocksNamed(name + "@" + base));
        post("new_Log", "{\"Name\":\"" + name + "\",\"Stock\":{\"@odata.id\":\"new_stocks(" + id + ")\"}}").then().statusCode(204);
        assertEquals(2, stocksNamed(name + "@" + base));
    }

    @Test
    void boundActionGetsItsRowAsTarget() {
        String id = stock(unique("restock"), 4);
        post("new_stocks(" + id + ")/Microsoft.Dynamics.CRM.new_Restock", "{\"Add\":3}").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.new_RestockResponse"))
                .body("Available", equalTo(7))
                .body("Stock", equalTo(id));
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(7));
    }

    @Test
    void boundActionOnAMissingRowIs404() {
        String missing = UUID.randomUUID().toString();
        post("new_stocks(" + missing + ")/Microsoft.Dynamics.CRM.new_Restock", "{\"Add\":3}").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    @Test
    void unboundFunctionTakesAliasesAndLiterals() {
        Api.given(dvemu).get("new_Price(Amount=@a,Rate=@r)?@a=10&@r=1.5").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.new_PriceResponse"))
                .body("Price", equalTo(15.0f))
                .body("Code", equalTo("none"));
        Api.given(dvemu).get("new_Price(Amount=@a,Rate=2)?@a=2.5").then().statusCode(200)
                .body("Price", equalTo(5.0f));
        // optional parameters may be left out; strings are quoted literals
        Api.given(dvemu).get("new_Price(Amount=4,Code='it''s')").then().statusCode(200)
                .body("Price", equalTo(4.0f))
                .body("Code", equalTo("it's"));
    }

    @Test
    void boundFunctionReadsItsRow() {
        String name = unique("named");
        String id = stock(name, 1);
        Api.given(dvemu).get("new_stocks(" + id + ")/Microsoft.Dynamics.CRM.new_StockName()").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.new_StockNameResponse"))
                .body("Name", equalTo(name));
    }

    @Test
    void missingRequiredParameterIs400() {
        post("new_Quote", "{\"Amount\":2.5}").then().statusCode(400)
                .body("error.code", equalTo("0x80040203"))
                .body("error.message", equalTo("Required field 'Count' is missing"));
        Api.given(dvemu).get("new_Price(Rate=2)").then().statusCode(400)
                .body("error.code", equalTo("0x80040203"))
                .body("error.message", equalTo("Required field 'Amount' is missing"));
    }

    @Test
    void wrongTypedParameterIs400() {
        post("new_Quote", "{\"Amount\":\"lots\",\"Count\":1}").then().statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", org.hamcrest.Matchers.containsString("'Edm.Decimal'"));
        post("new_Quote", "{\"Amount\":1,\"Count\":1.5}").then().statusCode(400).body("error.code", equalTo("0x0"));
        Api.given(dvemu).get("new_Price(Amount=@a)?@a='x'").then().statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", org.hamcrest.Matchers.containsString("'Edm.Decimal'"));
    }

    @Test
    void unknownParameterIs400() {
        post("new_Quote", "{\"Amount\":1,\"Count\":1,\"Colour\":\"red\"}").then().statusCode(400)
                .body("error.code", equalTo("0x0"))
                .body("error.message", equalTo(
                        "The parameter 'Colour' in the request payload is not a valid parameter for the operation 'new_Quote'."));
        Api.given(dvemu).get("new_Price(Amount=1,Colour='red')").then().statusCode(400)
                .body("error.code", equalTo("0x0"));
    }

    @Test
    void pluginRefusalRollsBackItsWrites() {
        String name = unique("refused");
        post("new_Log", "{\"Name\":\"" + name + "\",\"Fail\":true}").then().statusCode(400)
                .body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("The log refuses " + name + "."));
        assertEquals(0, stocksNamed(name));
    }

    @Test
    void responsePropertyOfTheWrongTypeIsAnIsvError() {
        post("new_Broken", "{}").then().statusCode(400).body("error.code", equalTo("0x80040224"));
    }

    @Test
    void actionInAFailedChangesetLeavesNothing() {
        String name = unique("batch");
        String body = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_Log", "{\"Name\":\"" + name + "\"}")
                .op("2", "PATCH", "new_stocks(" + UUID.randomUUID() + ")", "{\"new_availablecount\":1}", "If-Match: *")
                .endChangeset().build();
        String boundary = body.substring(2, body.indexOf("\r\n"));
        Response answer = Api.given(dvemu).contentType("multipart/mixed; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("$batch");
        assertEquals(400, answer.statusCode(), answer.asString());
        assertTrue(answer.asString().contains("HTTP/1.1 404"), answer.asString());
        assertEquals(0, stocksNamed(name));

        // the same action alone in a changeset commits
        String committed = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_Log", "{\"Name\":\"" + name + "\"}").endChangeset().build();
        Api.given(dvemu).contentType("multipart/mixed; boundary=" + committed.substring(2, committed.indexOf("\r\n")))
                .body(committed.getBytes(StandardCharsets.UTF_8)).post("$batch").then().statusCode(200);
        assertEquals(1, stocksNamed(name));
    }

    @Test
    void metadataDeclaresTheCustomApis() throws Exception {
        byte[] xml = Api.given(dvemu).get("$metadata").then().statusCode(200).extract().asByteArray();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));

        Element quote = named(doc, "Action", "new_Quote");
        assertTrue(List.of("", "false").contains(quote.getAttribute("IsBound")), "unbound");
        List<Element> params = children(quote, "Parameter");
        assertEquals("Amount", params.get(0).getAttribute("Name"));
        assertEquals("Edm.Decimal", params.get(0).getAttribute("Type"));
        assertEquals("false", params.get(0).getAttribute("Nullable"));
        assertEquals("Collection(Edm.String)", params.get(3).getAttribute("Type"));
        assertTrue(children(quote, "ReturnType").get(0).getAttribute("Type").endsWith(".new_QuoteResponse"));

        Element response = named(doc, "ComplexType", "new_QuoteResponse");
        Element total = children(response, "Property").get(0);
        assertEquals("Total", total.getAttribute("Name"));
        assertEquals("Edm.Decimal", total.getAttribute("Type"));
        Element label = children(response, "Property").get(1);
        assertEquals("Edm.String", label.getAttribute("Type"));
        assertEquals("false", label.getAttribute("Unicode"), "strings of response types are not Unicode, as Dataverse's");

        Element restock = named(doc, "Action", "new_Restock");
        assertEquals("true", restock.getAttribute("IsBound"));
        Element entity = children(restock, "Parameter").get(0);
        assertEquals("entity", entity.getAttribute("Name"));
        assertTrue(entity.getAttribute("Type").endsWith(".new_stock"), entity.getAttribute("Type"));

        assertTrue(children(named(doc, "Action", "new_Log"), "ReturnType").isEmpty());
        Element price = named(doc, "Function", "new_Price");
        assertTrue(List.of("", "false").contains(price.getAttribute("IsBound")), "unbound");
        Element rate = children(price, "Parameter").get(1);
        assertTrue(List.of("", "true").contains(rate.getAttribute("Nullable")), "optional");
        // a function's optional parameter is annotated as the real org's CSDL annotates them; an action's is not
        assertEquals("Org.OData.Core.V1.OptionalParameter", children(rate, "Annotation").get(0).getAttribute("Term"));
        assertTrue(children(children(named(doc, "Action", "new_Quote"), "Parameter").get(2), "Annotation").isEmpty());
        assertTrue(children(children(price, "Parameter").get(0), "Annotation").isEmpty(), "required: no annotation");
        assertEquals("true", named(doc, "Function", "new_StockName").getAttribute("IsBound"));
        named(doc, "Function", "WhoAmI");

        named(doc, "ActionImport", "new_Quote");
        named(doc, "FunctionImport", "new_Price");
        assertThrows(AssertionError.class, () -> named(doc, "ActionImport", "new_Restock"), "bound: no import");
    }

    @Test
    void whoAmIStillAnswers() {
        Api.given(dvemu).get("WhoAmI").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"));
    }

    private static Element named(Document doc, String element, String name) {
        NodeList nodes = doc.getElementsByTagNameNS("*", element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("Name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + element + " named " + name);
    }

    private static List<Element> children(Element parent, String element) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", element);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }
}
