package dev.dvemu.server.metadata.query;

import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * The corners of metadata queries that query-metadata-web-api.md documents (a cast attribute by id with its
 * context URL, complex and enum properties in {@code $filter}), and what dvemu refuses by name.
 */
@DvemuTest(reset = Reset.NEVER)
class DefinitionQueriesTest {
    static Dvemu dvemu;

    private static String id(String path) {
        return Api.given(dvemu).queryParam("$select", "LogicalName").get(path).then().statusCode(200)
                .extract().jsonPath().getString("MetadataId");
    }

    @Test
    void aCastAttributeByIdHasTheDocumentedContextUrl() {
        String table = id("EntityDefinitions(LogicalName='new_booking')");
        String attribute = id("EntityDefinitions(LogicalName='new_booking')/Attributes(LogicalName='new_status')");
        Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$expand", "OptionSet")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes(" + attribute + ")/Microsoft.Dynamics.CRM.PicklistAttributeMetadata")
                .then().statusCode(200)
                .body("'@odata.context'", endsWith("$metadata#EntityDefinitions(" + table
                        + ")/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata(LogicalName,OptionSet)/$entity"))
                .body("LogicalName", equalTo("new_status"))
                .body("MetadataId", equalTo(attribute))
                .body("OptionSet.Options[1].Value", equalTo(100000001));
    }

    @Test
    void filtersReachIntoManagedPropertiesAndMatchMetadataIds() {
        Api.given(dvemu).queryParam("$select", "LogicalName")
                .queryParam("$filter", "RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'SystemRequired'")
                .get("EntityDefinitions(LogicalName='new_booking')/Attributes").then().statusCode(200)
                .body("value.LogicalName", equalTo(List.of("new_bookingid")));
        String contact = id("EntityDefinitions(LogicalName='contact')");
        Api.given(dvemu).queryParam("$select", "LogicalName").queryParam("$filter", "MetadataId eq " + contact)
                .get("EntityDefinitions").then().statusCode(200).body("value.LogicalName", equalTo(List.of("contact")));
    }

    @Test
    void theMetadataDocumentDeclaresTheDefinitionTypes() {
        String csdl = Api.given(dvemu).get("$metadata").then().statusCode(200).extract().asString();
        for (String declared : List.of("<EntityType Name=\"EntityMetadata\" BaseType=\"mscrm.MetadataBase\"",
                "<EnumType Name=\"AttributeTypeCode\"", "<EntitySet Name=\"EntityDefinitions\"",
                "<EntitySet Name=\"RelationshipDefinitions\"", "<EntitySet Name=\"GlobalOptionSetDefinitions\"")) {
            org.junit.jupiter.api.Assertions.assertTrue(csdl.contains(declared), "no " + declared);
        }
    }

    @Test
    void anUnknownColumnIsNotFound() {
        Api.given(dvemu).get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='new_nothing')").then().statusCode(404)
                .body("error.code", equalTo("0x80041103")).body("error.message", containsString("new_nothing"));
        Api.given(dvemu).get("RelationshipDefinitions(SchemaName='new_nothing')").then().statusCode(404)
                .body("error.code", equalTo("0x80040217"));
    }

    @Test
    void aTypeSpecificPropertyNeedsACast() {
        Api.given(dvemu).queryParam("$select", "MaxLength").get("EntityDefinitions(LogicalName='account')/Attributes")
                .then().statusCode(400).body("error.message", containsString("MaxLength"));
    }

    @Test
    void whatDvemuDoesNotDoIsRefusedByName() {
        Api.given(dvemu).queryParam("$filter", "contains(LogicalName,'new')").get("EntityDefinitions").then().statusCode(501)
                .body("error.code", equalTo("0x80060888")).body("error.message", containsString("contains"));
        Api.given(dvemu).delete("EntityDefinitions(LogicalName='account')").then().statusCode(501)
                .body("error.message", containsString("DELETE EntityDefinitions(LogicalName='account')"));
        Api.given(dvemu).contentType("application/json").body("{}").patch("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='name')")
                .then().statusCode(501).body("error.code", equalTo("0x80060888"));
    }
}
