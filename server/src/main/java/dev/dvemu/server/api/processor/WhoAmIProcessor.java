package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.RequestSurface;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.edm.DataverseEdmProvider;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.execution.Org;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET WhoAmI()} (§10): one fixed user, business unit and organization, so tests can rely on the ids; a request
 * that impersonates a user ({@code MSCRMCallerID}, {@code CallerObjectId}) is answered with that user's id. Olingo
 * routes the function to {@link CustomApiProcessor}, which hands it here.
 */
public final class WhoAmIProcessor {
    public void answer(ODataRequest request, ODataResponse response) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("BusinessUnitId", Org.BUSINESS_UNIT_ID.toString());
        fields.put("UserId", RequestSurface.impersonatedUser(request).orElse(Org.USER_ID).toString());
        fields.put("OrganizationId", Org.ORGANIZATION_ID.toString());
        String context = Requests.serviceRoot(request) + "$metadata#" + DataverseEdmProvider.WHO_AM_I_RESPONSE.getFullQualifiedNameAsString();
        Requests.json(response, 200, RowJson.object(context, fields));
    }
}
