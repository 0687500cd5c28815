package dev.dvemu.server.metadata.query;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An attribute's {@code SchemaName}, {@code DisplayName} and {@code Description}, and the formats of string and
 * date-time attributes, in the shapes a real org answers (the account attributes of a RetrieveMetadataChanges
 * response recorded by dataverse-gen: {@code "DisplayName":{"LocalizedLabels":[{"Label":"Account Name",
 * "LanguageCode":1033,...}],"UserLocalizedLabel":{...}}}, an undeclared label {@code {"LocalizedLabels":[],
 * "UserLocalizedLabel":null}}, {@code "Format":"Text"}, {@code "DateTimeBehavior":{"Value":"UserLocal"}}).
 */
@DvemuTest(reset = Reset.NEVER)
class AttributeNamesTest {
    static Dvemu dvemu;

    @Test
    void selectSchemaNameAndDisplayNameOfAttributes() {
        JsonPath body = Api.given(dvemu).queryParam("$select", "SchemaName,DisplayName")
                .get("EntityDefinitions(LogicalName='account')/Attributes").then().statusCode(200)
                .body("'@odata.context'", endsWith("/Attributes(SchemaName,DisplayName)"))
                .extract().jsonPath();
        Map<String, Object> name = bySchemaName(body, "Name");
        assertEquals("Account Name", body.getString(path(body, "Name") + ".DisplayName.LocalizedLabels[0].Label"));
        assertEquals(1033, body.getInt(path(body, "Name") + ".DisplayName.LocalizedLabels[0].LanguageCode"));
        assertEquals("Account Name", body.getString(path(body, "Name") + ".DisplayName.UserLocalizedLabel.Label"));
        assertFalse(name.containsKey("LogicalName"), "only the selected properties and MetadataId: " + name.keySet());
        assertEquals(36, String.valueOf(name.get("MetadataId")).length());
        // the server's columns have Dataverse's names; the primary id is labelled with the table's name
        assertEquals("Account", body.getString(path(body, "AccountId") + ".DisplayName.UserLocalizedLabel.Label"));
        assertEquals("Version Number", body.getString(path(body, "VersionNumber") + ".DisplayName.UserLocalizedLabel.Label"));
        assertEquals("Created On", body.getString(path(body, "CreatedOn") + ".DisplayName.UserLocalizedLabel.Label"));
        assertEquals("Modified On", body.getString(path(body, "ModifiedOn") + ".DisplayName.UserLocalizedLabel.Label"));
    }

    @Test
    void aDeclaredDescriptionAndAnUndeclaredOne() {
        Api.given(dvemu).queryParam("$select", "LogicalName,SchemaName,Description")
                .get("EntityDefinitions(LogicalName='new_stock')/Attributes(LogicalName='new_name')").then().statusCode(200)
                .body("SchemaName", equalTo("new_Name"))
                .body("Description.LocalizedLabels[0].Label", equalTo("The warehouse"))
                .body("Description.UserLocalizedLabel.Label", equalTo("The warehouse"));
        JsonPath body = Api.given(dvemu).queryParam("$select", "Description")
                .get("EntityDefinitions(LogicalName='new_stock')/Attributes(LogicalName='new_bookedcount')").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(), body.getList("Description.LocalizedLabels"));
        assertNull(body.get("Description.UserLocalizedLabel"));
        assertEquals(Map.of("LocalizedLabels", List.of()), withoutNulls(body.getMap("Description")));
    }

    @Test
    void filterOnSchemaName() {
        Api.given(dvemu).queryParam("$select", "LogicalName,SchemaName").queryParam("$filter", "SchemaName eq 'new_Quantity'")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes").then().statusCode(200)
                .body("value.LogicalName", equalTo(List.of("new_quantity")))
                .body("value[0].SchemaName", equalTo("new_Quantity"));
        Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$filter", "SchemaName eq 'new_BookingId'")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes").then().statusCode(200)
                .body("value.LogicalName", equalTo(List.of("new_bookingid")));
    }

    @Test
    void theDocumentedSchemaNameQueryOnARequiredLevel() {
        // query-metadata-web-api.md: "...Attributes?$select=SchemaName&$filter=RequiredLevel/Value eq ...'ApplicationRequired'"
        Api.given(dvemu).queryParam("$select", "SchemaName")
                .queryParam("$filter", "RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'ApplicationRequired'")
                .get("EntityDefinitions(LogicalName='account')/Attributes").then().statusCode(200)
                .body("'@odata.context'", endsWith("/Attributes(SchemaName)"))
                .body("value", equalTo(List.of()));
        Api.given(dvemu).queryParam("$select", "SchemaName")
                .queryParam("$filter", "RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'SystemRequired'")
                .get("EntityDefinitions(LogicalName='account')/Attributes").then().statusCode(200)
                .body("value.SchemaName", equalTo(List.of("AccountId")));
    }

    @Test
    void stringAndDateTimeAttributesCarryTheirFormats() {
        Api.given(dvemu).queryParam("$select", "LogicalName,Format,FormatName")
                .get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='name')/Microsoft.Dynamics.CRM.StringAttributeMetadata")
                .then().statusCode(200)
                .body("Format", equalTo("Text"))
                .body("FormatName", equalTo(Map.of("Value", "Text")));
        Api.given(dvemu).queryParam("$select", "LogicalName,Format,DateTimeBehavior")
                .get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata")
                .then().statusCode(200)
                .body("value.LogicalName", equalTo(List.of("createdon", "modifiedon")))
                .body("value.Format", equalTo(List.of("DateAndTime", "DateAndTime")))
                .body("value[0].DateTimeBehavior", equalTo(Map.of("Value", "UserLocal")));
        Api.given(dvemu).queryParam("$select", "Format")
                .get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='description')/Microsoft.Dynamics.CRM.MemoAttributeMetadata")
                .then().statusCode(200).body("Format", equalTo("TextArea"));
    }

    @Test
    void aTableCarriesItsDescription() {
        Api.given(dvemu).queryParam("$select", "LogicalName,Description")
                .get("EntityDefinitions(LogicalName='new_bookingslot')").then().statusCode(200)
                .body("Description.UserLocalizedLabel.Label", startsWith("One row per taken slot of a stock"))
                .body("Description.LocalizedLabels[0].LanguageCode", equalTo(1033));
        JsonPath account = Api.given(dvemu).queryParam("$select", "Description")
                .get("EntityDefinitions(LogicalName='account')").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(), account.getList("Description.LocalizedLabels"));
        assertNull(account.get("Description.UserLocalizedLabel"));
    }

    @Test
    void anEmailOrPhoneColumnSaysSoAsDataverseDoes() {
        Api.given(dvemu).queryParam("$select", "Format,FormatName")
                .get("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='emailaddress1')/Microsoft.Dynamics.CRM.StringAttributeMetadata")
                .then().statusCode(200)
                .body("Format", equalTo("Email"))
                .body("FormatName", equalTo(Map.of("Value", "Email")));
        Api.given(dvemu).queryParam("$select", "Format,FormatName")
                .get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='telephone1')/Microsoft.Dynamics.CRM.StringAttributeMetadata")
                .then().statusCode(200)
                .body("Format", equalTo("Phone"))
                .body("FormatName", equalTo(Map.of("Value", "Phone")));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> m) {
        Map<String, Object> out = new java.util.HashMap<>(m);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private static String path(JsonPath body, String schemaName) {
        List<String> names = body.getList("value.SchemaName");
        int i = names.indexOf(schemaName);
        if (i < 0) {
            throw new AssertionError("no attribute " + schemaName + " in " + names);
        }
        return "value[" + i + "]";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bySchemaName(JsonPath body, String schemaName) {
        return ((List<Map<String, Object>>) body.get("value")).stream().filter(a -> schemaName.equals(a.get("SchemaName")))
                .findFirst().orElseThrow(() -> new AssertionError("no attribute " + schemaName));
    }
}
