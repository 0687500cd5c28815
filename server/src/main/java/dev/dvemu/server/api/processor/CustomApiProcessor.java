package dev.dvemu.server.api.processor;

import dev.dvemu.server.api.Api;
import dev.dvemu.server.api.Requests;
import dev.dvemu.server.api.edm.DataverseEdmProvider;
import dev.dvemu.server.api.json.CustomApiParameters;
import dev.dvemu.server.api.json.RowJson;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.execution.CustomApiCall;
import dev.dvemu.server.execution.CustomApis;
import dev.dvemu.server.execution.UnitOfWork;
import dev.dvemu.server.metadata.TableDef;
import dev.dvemu.server.store.RowAddress;
import org.apache.olingo.commons.api.edm.EdmFunction;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.ActionComplexProcessor;
import org.apache.olingo.server.api.processor.ActionVoidProcessor;
import org.apache.olingo.server.api.processor.ComplexProcessor;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriParameter;
import org.apache.olingo.server.api.uri.UriResource;
import org.apache.olingo.server.api.uri.UriResourceAction;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourceFunction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls of custom APIs: actions ({@code POST <name>}, {@code POST <set>(<id>)/Microsoft.Dynamics.CRM.<name>}) and
 * functions ({@code GET <name>(P=@p)?@p=...}), answered 200 with the {@code <name>Response} complex type, or 204 for an
 * action without response properties. Olingo routes every function returning a complex type here; {@code WhoAmI}
 * goes on to its own processor.
 */
public final class CustomApiProcessor implements ActionComplexProcessor, ActionVoidProcessor, ComplexProcessor {
    private final Api api;
    private final UnitOfWork unit;
    private final WhoAmIProcessor whoAmI;

    public CustomApiProcessor(Api api, UnitOfWork unit, WhoAmIProcessor whoAmI) {
        this.api = api;
        this.unit = unit;
        this.whoAmI = whoAmI;
    }

    @Override
    public void init(OData odata, ServiceMetadata serviceMetadata) {
        // everything it needs comes from Api
    }

    @Override
    public void processActionComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat,
                                     ContentType responseFormat) {
        processActionVoid(request, response, uriInfo, requestFormat);
    }

    @Override
    public void processActionVoid(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType requestFormat) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        UriResourceAction action = (UriResourceAction) parts.get(parts.size() - 1);
        CustomApis.Declared declared = declared(request, action.getAction().getName());
        Map<String, Object> parameters = CustomApiParameters.fromBody(declared, request.getBody(), api.catalog());
        answer(request, response, declared, new CustomApiCall(declared, target(request, parts, declared), parameters));
    }

    @Override
    public void readComplex(ODataRequest request, ODataResponse response, UriInfo uriInfo, ContentType format) {
        List<UriResource> parts = uriInfo.getUriResourceParts();
        if (!(parts.get(parts.size() - 1) instanceof UriResourceFunction function)) {
            throw ErrorBodyProcessor.noResource(request);
        }
        EdmFunction edm = function.getFunction() != null ? function.getFunction()
                : function.getFunctionImport().getUnboundFunctions().get(0);
        if (edm.getName().equals(DataverseEdmProvider.WHO_AM_I)) {
            whoAmI.answer(request, response);
            return;
        }
        CustomApis.Declared declared = declared(request, edm.getName());
        Map<String, String> literals = new LinkedHashMap<>();
        for (UriParameter p : function.getParameters()) {
            String text = p.getAlias() != null ? uriInfo.getValueForAlias(p.getAlias()) : p.getText();
            if (p.getAlias() != null && text == null) {
                throw DataverseError.BAD_URI.exception("The parameter alias '" + p.getAlias() + "' of '" + p.getName()
                        + "' has no value in the query string.");
            }
            literals.put(p.getName(), text);
        }
        Map<String, Object> parameters = CustomApiParameters.fromUrl(declared, literals);
        answer(request, response, declared, new CustomApiCall(declared, target(request, parts, declared), parameters));
    }

    private CustomApis.Declared declared(ODataRequest request, String name) {
        return api.customApis().byName(name).orElseThrow(() -> ErrorBodyProcessor.noResource(request));
    }

    /** The row a bound call names ({@code <set>(<id>)}, or by alternate key); none for an unbound one. */
    private Optional<RowAddress> target(ODataRequest request, List<UriResource> parts, CustomApis.Declared declared) {
        if (declared.boundTable().isEmpty()) {
            return Optional.empty();
        }
        if (parts.size() != 2 || !(parts.get(0) instanceof UriResourceEntitySet es) || es.getKeyPredicates().isEmpty()) {
            throw Requests.notYet("Calling " + declared.name() + " on anything but one row (<set>(<id>))");
        }
        TableDef table = Requests.table(api, es);
        return Optional.of(Requests.address(request, es, table));
    }

    private void answer(ODataRequest request, ODataResponse response, CustomApis.Declared declared, CustomApiCall call) {
        Map<String, Object> result = api.executor().call(unit, Requests.options(api, request), call);
        if (declared.api().responseProperties().isEmpty()) {
            Requests.noContent(response);
            return;
        }
        String context = Requests.serviceRoot(request) + "$metadata#"
                + DataverseEdmProvider.responseType(declared.name()).getFullQualifiedNameAsString();
        Requests.json(response, 200, RowJson.response(context, result));
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
