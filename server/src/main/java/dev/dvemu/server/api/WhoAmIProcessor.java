package dev.dvemu.server.api;

import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.ComplexProcessor;
import org.apache.olingo.server.api.uri.UriInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET WhoAmI()} (§10): one fixed user, business unit and organization, so tests can rely on the ids; a request
 * that impersonates a user ({@code MSCRMCallerID}, {@code CallerObjectId}) is answered with that user's id.
 */
final class WhoAmIProcessor implements ComplexProcessor {
    static final UUID USER_ID = UUID.fromString("d5e4a3b2-0001-4000-8000-00000000dead");
    static final UUID BUSINESS_UNIT_ID = UUID.fromString("d5e4a3b2-0002-4000-8000-00000000beef");
    static final UUID ORGANIZATION_ID = UUID.fromString("d5e4a3b2-0003-4000-8000-00000000cafe");

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // stateless
    }

    @Override
    public void readComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("BusinessUnitId", BUSINESS_UNIT_ID.toString());
        fields.put("UserId", RequestSurface.impersonatedUser(request).orElse(USER_ID).toString());
        fields.put("OrganizationId", ORGANIZATION_ID.toString());
        String context = Requests.serviceRoot(request) + "$metadata#" + DataverseEdmProvider.WHO_AM_I_RESPONSE.getFullQualifiedNameAsString();
        Requests.json(response, 200, RowJson.object(context, fields));
    }

    @Override
    public void updateComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                              ContentType responseFormat) {
        throw ErrorBodyProcessor.noResource(request);
    }

    @Override
    public void deleteComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo) {
        throw ErrorBodyProcessor.noResource(request);
    }
}
