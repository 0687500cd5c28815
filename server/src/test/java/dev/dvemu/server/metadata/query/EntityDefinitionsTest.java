package dev.dvemu.server.metadata.query;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code EntityDefinitions}: shapes as in Microsoft's "Query table definitions using the Web API"
 * (query-metadata-web-api.md) and "Retrieve table definitions by name or MetadataId".
 */
@DvemuTest(reset = Reset.NEVER)
class EntityDefinitionsTest {
    static Dvemu dvemu;

    @Test
    void aTableByLogicalNameWithSelectedPropertiesAndALabel() {
        JsonPath body = Api.given(dvemu).queryParam("$select", "DisplayName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute")
                .get("EntityDefinitions(LogicalName='account')").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#EntityDefinitions(DisplayName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute)/$entity"))
                .body("EntitySetName", equalTo("accounts"))
                .body("PrimaryIdAttribute", equalTo("accountid"))
                .body("PrimaryNameAttribute", equalTo("name"))
                .body("DisplayName.LocalizedLabels[0].Label", equalTo("Account"))
                .body("DisplayName.LocalizedLabels[0].LanguageCode", equalTo(1033))
                .body("DisplayName.UserLocalizedLabel.Label", equalTo("Account"))
                .body("$", not(hasKey("LogicalName")))
                .extract().jsonPath();
        String id = body.getString("MetadataId");
        assertEquals(36, id.length(), "MetadataId is always returned");
        // the same table by its MetadataId, with the same id every time
        Api.given(dvemu).queryParam("$select", "LogicalName").get("EntityDefinitions(" + id + ")").then().statusCode(200)
                .body("LogicalName", equalTo("account")).body("MetadataId", equalTo(id));
    }

    @Test
    void theCollectionFiltersOnPrimitiveAndEnumProperties() {
        Api.given(dvemu).queryParam("$select", "LogicalName,EntitySetName").queryParam("$filter", "LogicalName eq 'contact'")
                .get("EntityDefinitions").then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#EntityDefinitions(LogicalName,EntitySetName)"))
                .body("value.LogicalName", equalTo(List.of("contact")))
                .body("value[0].EntitySetName", equalTo("contacts"));
        List<String> custom = Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$filter", "IsCustomEntity eq true")
                .get("EntityDefinitions").then().statusCode(200).extract().jsonPath().getList("value.LogicalName");
        assertTrue(custom.contains("new_booking") && !custom.contains("account"), custom.toString());
        Api.given(dvemu).queryParam("$select", "LogicalName")
                .queryParam("$filter", "OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'OrganizationOwned' and LogicalName eq 'account'")
                .get("EntityDefinitions").then().statusCode(200).body("value.LogicalName", equalTo(List.of("account")));
    }

    @Test
    void attributesCarryTheirDerivedTypeAndFacets() {
        JsonPath body = Api.given(dvemu).get("EntityDefinitions(LogicalName='new_booking')/Attributes").then().statusCode(200)
                .body("'@odata.context'", containsString("$metadata#EntityDefinitions("))
                .body("'@odata.context'", endsWith(")/Attributes"))
                .extract().jsonPath();
        Map<String, Object> name = attribute(body, "new_name");
        assertEquals("#Microsoft.Dynamics.CRM.StringAttributeMetadata", name.get("@odata.type"));
        assertEquals("String", name.get("AttributeType"));
        assertEquals(Map.of("Value", "StringType"), name.get("AttributeTypeName"));
        assertEquals(100, name.get("MaxLength"));
        assertEquals(true, name.get("IsPrimaryName"));
        Map<String, Object> lookup = attribute(body, "new_stockid");
        assertEquals("#Microsoft.Dynamics.CRM.LookupAttributeMetadata", lookup.get("@odata.type"));
        assertEquals(List.of("new_stock"), lookup.get("Targets"));
        Map<String, Object> id = attribute(body, "new_bookingid");
        assertEquals("Uniqueidentifier", id.get("AttributeType"));
        assertEquals(false, id.get("IsValidForUpdate"));
        Map<String, Object> version = attribute(body, "versionnumber");
        assertEquals(false, version.get("IsValidForCreate"));
        assertEquals(Map.of("Value", "SystemRequired", "CanBeChanged", false, "ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings"),
                id.get("RequiredLevel"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attribute(JsonPath body, String logicalName) {
        return ((List<Map<String, Object>>) body.get("value")).stream().filter(a -> logicalName.equals(a.get("LogicalName")))
                .findFirst().orElseThrow(() -> new AssertionError("no attribute " + logicalName));
    }

    @Test
    void oneAttributeByLogicalNameAndAPicklistCastWithItsOptionSet() {
        Api.given(dvemu).queryParam("$select", "LogicalName,MaxLength")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes(LogicalName='new_name')/Microsoft.Dynamics.CRM.StringAttributeMetadata")
                .then().statusCode(200).body("LogicalName", equalTo("new_name")).body("MaxLength", equalTo(100));
        JsonPath body = Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$expand", "OptionSet")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata")
                .then().statusCode(200)
                .body("value.LogicalName", equalTo(List.of("new_status")))
                .body("value[0].OptionSet.Name", equalTo("new_booking_new_status"))
                .body("value[0].OptionSet.IsGlobal", equalTo(false))
                .body("value[0].OptionSet.OptionSetType", equalTo("Picklist"))
                .body("value[0].OptionSet.Options.Value", equalTo(List.of(100000000, 100000001, 100000002)))
                .extract().jsonPath();
        assertEquals("Pending", body.getString("value[0].OptionSet.Options[0].Label.UserLocalizedLabel.Label"));
    }

    @Test
    void expandAttributesWithAFilterOnAnEnum() {
        Api.given(dvemu).queryParam("$select", "LogicalName")
                .queryParam("$expand", "Attributes($select=LogicalName;$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist')")
                .get("EntityDefinitions(LogicalName='new_booking')").then().statusCode(200)
                .body("LogicalName", equalTo("new_booking"))
                .body("Attributes.LogicalName", equalTo(List.of("new_status")));
    }

    @Test
    void keysAndRelationshipsOfATable() {
        Api.given(dvemu).get("EntityDefinitions(LogicalName='new_booking')/ManyToOneRelationships").then().statusCode(200)
                .body("value.SchemaName", equalTo(List.of("new_stock_bookings")))
                .body("value[0].ReferencedEntity", equalTo("new_stock"))
                .body("value[0].ReferencingEntity", equalTo("new_booking"))
                .body("value[0].ReferencingAttribute", equalTo("new_stockid"))
                .body("value[0].ReferencedAttribute", equalTo("new_stockid"))
                .body("value[0].CascadeConfiguration.Delete", equalTo("Restrict"))
                .body("value[0].RelationshipType", equalTo("OneToManyRelationship"));
        Api.given(dvemu).get("EntityDefinitions(LogicalName='new_stock')/OneToManyRelationships").then().statusCode(200)
                .body("value.SchemaName", hasItems("new_stock_bookings", "new_stock_bookingslots"));
        Api.given(dvemu).get("EntityDefinitions(LogicalName='contact')/ManyToManyRelationships").then().statusCode(200)
                .body("value.SchemaName", equalTo(List.of("new_booking_contact")))
                .body("value[0].Entity1LogicalName", equalTo("new_booking"))
                .body("value[0].Entity2LogicalName", equalTo("contact"))
                .body("value[0].IntersectEntityName", equalTo("new_booking_contact"));
        Api.given(dvemu).get("EntityDefinitions(LogicalName='new_bookingslot')/Keys").then().statusCode(200)
                .body("value[0].KeyAttributes", equalTo(List.of("new_stockid", "new_slotnumber")))
                .body("value[0].EntityLogicalName", equalTo("new_bookingslot"))
                .body("value[0].EntityKeyIndexStatus", equalTo("Active"));
    }

    @Test
    void relationshipDefinitionsBySchemaNameAndByCast() {
        Api.given(dvemu).get("RelationshipDefinitions(SchemaName='contact_customer_accounts')").then().statusCode(200)
                .body("'@odata.type'", equalTo("#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata"))
                .body("CascadeConfiguration.Delete", equalTo("Cascade"))
                .body("ReferencingEntityNavigationPropertyName", equalTo("parentcustomerid_account"));
        Api.given(dvemu).get("RelationshipDefinitions/Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata").then().statusCode(200)
                .body("value.SchemaName", equalTo(List.of("new_booking_contact")));
    }

    @Test
    void globalOptionSetsAreNoneAndAnUnknownOneIsNotFound() {
        Api.given(dvemu).get("GlobalOptionSetDefinitions").then().statusCode(200).body("value", equalTo(List.of()));
        Api.given(dvemu).get("GlobalOptionSetDefinitions(Name='new_colour')").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    @Test
    void anUnknownTableIsNotFound() {
        Api.given(dvemu).get("EntityDefinitions(LogicalName='new_nothing')").then().statusCode(404)
                .body("error.code", equalTo("0x80041102"))
                .body("error.message", containsString("new_nothing"));
    }

    @Test
    void badInputIsRefusedByName() {
        Api.given(dvemu).queryParam("$filter", "LogicalName eq").get("EntityDefinitions").then().statusCode(400)
                .body("error.code", equalTo("0x0"));
        Api.given(dvemu).queryParam("$select", "IsKnowledgeManagementEnabled").get("EntityDefinitions").then().statusCode(400)
                .body("error.message", containsString("IsKnowledgeManagementEnabled"));
        Api.given(dvemu).queryParam("$top", "1").get("EntityDefinitions").then().statusCode(501)
                .body("error.message", containsString("$top"));
        Api.given(dvemu).contentType("application/json").body("{}").post("EntityDefinitions").then().statusCode(501)
                .body("error.code", equalTo("0x80060888"))
                .body("error.message", containsString("POST EntityDefinitions"));
    }
}
