package dev.dvemu.server.metadata.query;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code RetrieveMetadataChanges}: the request scottdurow/dataverse-gen sends ({@code src/MetadataService.ts}, through
 * dataverse-ify's {@code RetrieveMetadataChanges(Query=@p0)?@p0=<encodeURIComponent(JSON)>}), the example of
 * query-schema-definitions.md, and what dvemu refuses. Shapes as in those docs and in the response dataverse-gen
 * recorded from a real org ({@code src/__tests__/data/account-metadata.json}).
 */
@DvemuTest(reset = Reset.NEVER)
class RetrieveMetadataChangesTest {
    static Dvemu dvemu;

    /** dataverse-gen's query for one table (MetadataService.getEntityMetadata), as JSON.stringify writes it. */
    private static final String DATAVERSE_GEN_QUERY = """
            {"Criteria":{"Conditions":[{"PropertyName":"LogicalName","ConditionOperator":"Equals",\
            "Value":{"Value":"%s","Type":"System.String"}}],"FilterOperator":"And"},\
            "Properties":{"PropertyNames":["Attributes","SchemaName","EntitySetName"]},\
            "AttributeQuery":{"Properties":{"PropertyNames":["SchemaName","LogicalName","OptionSet","RequiredLevel",\
            "AttributeType","AttributeTypeName","SourceType","IsLogical","AttributeOf","Targets","Description",\
            "DateTimeBehavior","Format","DisplayName"]}}}""";

    /** JavaScript's encodeURIComponent, as dataverse-ify encodes the alias. */
    private static String encodeUriComponent(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!").replace("%27", "'")
                .replace("%28", "(").replace("%29", ")").replace("%7E", "~");
    }

    private static ValidatableResponse call(String query) {
        return Api.given(dvemu).urlEncodingEnabled(false)
                .get("RetrieveMetadataChanges(Query=%40p0)?@p0=" + encodeUriComponent(query)).then();
    }

    @Test
    void dataverseGensRequestForOneTable() {
        JsonPath body = call(DATAVERSE_GEN_QUERY.formatted("new_booking")).statusCode(200)
                .header("Content-Type", containsString("application/json"))
                .header("OData-Version", "4.0")
                .body("'@odata.context'", endsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveMetadataChangesResponse"))
                .body("DeletedMetadata", equalTo(Map.of("Count", 0, "IsReadOnly", false, "Keys", List.of(), "Values", List.of())))
                .body("EntityMetadata.LogicalName", equalTo(List.of("new_booking")))
                .extract().jsonPath();
        assertFalse(body.getString("ServerVersionStamp").isEmpty());
        Map<String, Object> table = body.getMap("EntityMetadata[0]");
        assertEquals("new_Booking", table.get("SchemaName"));
        assertEquals("new_bookings", table.get("EntitySetName"));
        assertEquals(36, String.valueOf(table.get("MetadataId")).length());
        // what was not asked for is null (collections empty), as Dataverse answers
        assertTrue(table.containsKey("PrimaryIdAttribute") && table.get("PrimaryIdAttribute") == null, table.toString());
        assertTrue(table.containsKey("HasChanged") && table.get("HasChanged") == null);
        assertEquals(List.of(), table.get("Keys"));

        Map<String, Object> name = attribute(body, "new_name");
        assertEquals("#Microsoft.Dynamics.CRM.ComplexStringAttributeMetadata", name.get("@odata.type"));
        assertEquals("new_Name", name.get("SchemaName"));
        assertEquals("String", name.get("AttributeType"));
        assertEquals(Map.of("Value", "StringType"), name.get("AttributeTypeName"));
        assertEquals("Text", name.get("Format"));
        assertEquals(0, name.get("SourceType"));
        assertEquals(false, name.get("IsLogical"));
        assertTrue(name.containsKey("AttributeOf") && name.get("AttributeOf") == null);
        assertEquals("Name", body.getString(at(body, "new_name") + ".DisplayName.UserLocalizedLabel.Label"));
        assertEquals(1033, body.getInt(at(body, "new_name") + ".DisplayName.LocalizedLabels[0].LanguageCode"));
        assertEquals(Map.of("Value", "None", "CanBeChanged", false, "ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings"),
                name.get("RequiredLevel"));
        // not asked for: null
        assertTrue(name.containsKey("MaxLength") && name.get("MaxLength") == null, name.toString());
        assertTrue(name.containsKey("IsPrimaryName") && name.get("IsPrimaryName") == null);

        Map<String, Object> status = attribute(body, "new_status");
        assertEquals("#Microsoft.Dynamics.CRM.ComplexPicklistAttributeMetadata", status.get("@odata.type"));
        assertEquals("new_booking_new_status", body.getString(at(body, "new_status") + ".OptionSet.Name"));
        assertEquals(List.of(100000000, 100000001, 100000002), body.getList(at(body, "new_status") + ".OptionSet.Options.Value"));
        assertEquals("Pending", body.getString(at(body, "new_status") + ".OptionSet.Options[0].Label.UserLocalizedLabel.Label"));

        Map<String, Object> stock = attribute(body, "new_stockid");
        assertEquals("#Microsoft.Dynamics.CRM.ComplexLookupAttributeMetadata", stock.get("@odata.type"));
        assertEquals(List.of("new_stock"), stock.get("Targets"));

        Map<String, Object> created = attribute(body, "createdon");
        assertEquals("#Microsoft.Dynamics.CRM.ComplexDateTimeAttributeMetadata", created.get("@odata.type"));
        assertEquals("DateAndTime", created.get("Format"));
        assertEquals(Map.of("Value", "UserLocal"), created.get("DateTimeBehavior"));
        assertEquals("CreatedOn", created.get("SchemaName"));

        Map<String, Object> id = attribute(body, "new_bookingid");
        assertFalse(id.containsKey("@odata.type"), "the primary id has no cast, as a real org answers: " + id);
        assertEquals("new_BookingId", id.get("SchemaName"));
        // an undeclared description: a Label without localized labels
        assertEquals(List.of(), body.getList(at(body, "new_bookingid") + ".Description.LocalizedLabels"));
        assertNull(body.get(at(body, "new_bookingid") + ".Description.UserLocalizedLabel"));
    }

    @Test
    void theDocumentedExampleWithOrAnAttributeCriterionAndALabelQuery() {
        // query-schema-definitions.md, "Basic RetrieveMetadataChanges example" (Web API), sent as the docs write it
        String url = "RetrieveMetadataChanges(Query=@p1)?@p1=%7B%22AttributeQuery%22:%7B%22Criteria%22:%7B%22Conditions%22:[%7B%22ConditionOperator%22:%22Equals%22,%22PropertyName%22:%22IsValidForCreate%22,%22Value%22:%7B%22Type%22:%22System.Boolean%22,%22Value%22:%22True%22%7D%7D],%22FilterOperator%22:%22And%22%7D,%22Properties%22:%7B%22AllProperties%22:false,%22PropertyNames%22:[%22LogicalName%22]%7D%7D,%22Criteria%22:%7B%22Conditions%22:[%7B%22ConditionOperator%22:%22Equals%22,%22PropertyName%22:%22LogicalName%22,%22Value%22:%7B%22Type%22:%22System.String%22,%22Value%22:%22account%22%7D%7D,%7B%22ConditionOperator%22:%22Equals%22,%22PropertyName%22:%22LogicalName%22,%22Value%22:%7B%22Type%22:%22System.String%22,%22Value%22:%22contact%22%7D%7D],%22FilterOperator%22:%22Or%22%7D,%22LabelQuery%22:%7B%22FilterLanguages%22:[1033],%22MissingLabelBehavior%22:0%7D,%22Properties%22:%7B%22AllProperties%22:false,%22PropertyNames%22:[%22SchemaName%22,%22Attributes%22]%7D%7D";
        JsonPath body = Api.given(dvemu).urlEncodingEnabled(false).get(url).then().statusCode(200)
                .body("EntityMetadata.LogicalName", equalTo(List.of("account", "contact")))
                .body("EntityMetadata.SchemaName", equalTo(List.of("Account", "Contact")))
                .extract().jsonPath();
        List<String> accountColumns = body.getList("EntityMetadata[0].Attributes.LogicalName");
        assertTrue(accountColumns.contains("accountid") && accountColumns.contains("name"), accountColumns.toString());
        assertFalse(accountColumns.contains("versionnumber") || accountColumns.contains("createdon"),
                "only columns valid for create: " + accountColumns);
        assertNull(body.get("EntityMetadata[0].Attributes[0].AttributeType"), "only LogicalName was asked for");
        assertNull(body.get("EntityMetadata[0].EntitySetName"));
    }

    @Test
    void inNotInNestedFiltersAndAllProperties() {
        String query = """
                {"Criteria":{"FilterOperator":"And","Conditions":[
                  {"PropertyName":"LogicalName","ConditionOperator":"In","Value":{"Type":"System.String[]","Value":"['account','new_stock','new_booking']"}}],
                 "Filters":[{"FilterOperator":"Or","Conditions":[
                  {"PropertyName":"IsCustomEntity","ConditionOperator":"Equals","Value":{"Type":"System.Boolean","Value":"false"}},
                  {"PropertyName":"LogicalName","ConditionOperator":"NotIn","Value":{"Type":"System.String[]","Value":["new_booking"]}}]}]},
                 "Properties":{"AllProperties":true},
                 "KeyQuery":{"Properties":{"PropertyNames":["KeyAttributes"]}},
                 "AttributeQuery":{"Criteria":{"Conditions":[{"PropertyName":"AttributeType","ConditionOperator":"NotEquals",
                   "Value":{"Type":"Microsoft.Xrm.Sdk.Metadata.AttributeTypeCode","Value":"String"}},
                   {"PropertyName":"RequiredLevel","ConditionOperator":"Equals",
                   "Value":{"Type":"Microsoft.Xrm.Sdk.Metadata.AttributeRequiredLevel","Value":"None"}}]},
                   "Properties":{"PropertyNames":["AttributeType"]}}}""";
        JsonPath body = call(query).statusCode(200)
                .body("EntityMetadata.LogicalName", equalTo(List.of("account", "new_stock")))
                .body("EntityMetadata[0].EntitySetName", equalTo("accounts"))
                .body("EntityMetadata[0].OwnershipType", equalTo("OrganizationOwned"))
                .body("EntityMetadata[0].Keys[0].KeyAttributes", equalTo(List.of("accountnumber")))
                .extract().jsonPath();
        List<String> types = body.getList("EntityMetadata[1].Attributes.AttributeType");
        assertFalse(types.isEmpty());
        assertFalse(types.contains("String"), types.toString());
        assertFalse(types.contains("Uniqueidentifier"), "the id is SystemRequired: " + types);
        assertNotNull(body.get("EntityMetadata[0].DisplayName.UserLocalizedLabel"));
    }

    @Test
    void noQueryAnswersEveryTableAndTheStampIsStable() {
        String first = Api.given(dvemu).get("RetrieveMetadataChanges").then().statusCode(200)
                .body("EntityMetadata.LogicalName", equalTo(List.of("account", "contact", "new_booking", "new_bookingslot", "new_stock")))
                .extract().jsonPath().getString("ServerVersionStamp");
        // a client's stamp is answered with everything, no deletions
        Api.given(dvemu).urlEncodingEnabled(false)
                .get("RetrieveMetadataChanges(Query=@q,ClientVersionStamp=@s,DeletedMetadataFilters=@f)?@q="
                        + encodeUriComponent("{\"Properties\":{\"PropertyNames\":[\"SchemaName\"]}}") + "&@s='" + first
                        + "'&@f=Microsoft.Dynamics.CRM.DeletedMetadataFilters'All'")
                .then().statusCode(200)
                .body("ServerVersionStamp", equalTo(first))
                .body("DeletedMetadata.Count", equalTo(0))
                .body("EntityMetadata.size()", equalTo(5));
        // a stamp in Dataverse's own form, written into the segment: its '/' is part of the literal
        Api.given(dvemu).urlEncodingEnabled(false)
                .get("RetrieveMetadataChanges(ClientVersionStamp='74812162!10/09/2022%2022:10:22')")
                .then().statusCode(200).body("ServerVersionStamp", equalTo(first));
        Api.given(dvemu).get("RetrieveMetadataChanges()/EntityMetadata").then().statusCode(501)
                .body("error.code", equalTo("0x80060888"));
    }

    @Test
    void badQueriesAre400() {
        call("{\"Criteria\":").statusCode(400).body("error.code", equalTo("0x0"))
                .body("error.message", containsString("Query"));
        call("{\"Criterion\":{}}").statusCode(400).body("error.message", containsString("'Criterion'"))
                .body("error.message", containsString("EntityQueryExpression"));
        call("{\"Properties\":{\"PropertyNames\":[\"IsKnowledgeManagementEnabled\"]}}").statusCode(400)
                .body("error.message", containsString("IsKnowledgeManagementEnabled"));
        call("{\"Criteria\":{\"Conditions\":[{\"PropertyName\":\"LogicalName\",\"ConditionOperator\":\"Like\","
                + "\"Value\":{\"Type\":\"System.String\",\"Value\":\"a\"}}]}}").statusCode(400)
                .body("error.message", containsString("'Like'"));
        call("{\"Criteria\":{\"Conditions\":[{\"PropertyName\":\"IsCustomEntity\",\"ConditionOperator\":\"Equals\","
                + "\"Value\":{\"Type\":\"System.String\",\"Value\":\"true\"}}]}}").statusCode(400)
                .body("error.message", containsString("System.Boolean"));
        call("{\"Criteria\":{\"Conditions\":[{\"PropertyName\":\"DisplayName\",\"ConditionOperator\":\"Equals\","
                + "\"Value\":{\"Type\":\"System.String\",\"Value\":\"Account\"}}]}}").statusCode(400)
                .body("error.message", containsString("a label"));
        call("{\"Properties\":{\"PropertyNames\":[\"SchemaName\"]},\"AttributeQuery\":{}}").statusCode(400)
                .body("error.message", containsString("Attributes"));
        Api.given(dvemu).get("RetrieveMetadataChanges(Quary=null)").then().statusCode(400)
                .body("error.message", containsString("'Quary'"));
        Api.given(dvemu).contentType("application/json").body("{}").post("RetrieveMetadataChanges").then().statusCode(405);
    }

    @Test
    void whatIsNotBuiltIs501ByName() {
        call("{\"Criteria\":{\"Conditions\":[{\"PropertyName\":\"ObjectTypeCode\",\"ConditionOperator\":\"GreaterThan\","
                + "\"Value\":{\"Type\":\"System.Int32\",\"Value\":\"1\"}}]}}").statusCode(501)
                .body("error.code", equalTo("0x80060888")).body("error.message", containsString("GreaterThan"));
        call("{\"LabelQuery\":{\"FilterLanguages\":[1031]}}").statusCode(501)
                .body("error.code", equalTo("0x80060888")).body("error.message", containsString("LabelQuery"));
        Api.given(dvemu).urlEncodingEnabled(false).get("RetrieveMetadataChanges(AppModuleId=@a)?@a=5e1c38e2-5ef7-4c2e-9a52-8f2a41e3d4f0")
                .then().statusCode(501).body("error.message", containsString("AppModuleId"));
        Api.given(dvemu).queryParam("$select", "EntityMetadata").get("RetrieveMetadataChanges").then().statusCode(501)
                .body("error.message", containsString("$select"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attribute(JsonPath body, String logicalName) {
        return ((List<Map<String, Object>>) body.get("EntityMetadata[0].Attributes")).stream()
                .filter(a -> logicalName.equals(a.get("LogicalName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no attribute " + logicalName));
    }

    private static String at(JsonPath body, String logicalName) {
        List<String> names = body.getList("EntityMetadata[0].Attributes.LogicalName");
        return "EntityMetadata[0].Attributes[" + names.indexOf(logicalName) + "]";
    }
}
