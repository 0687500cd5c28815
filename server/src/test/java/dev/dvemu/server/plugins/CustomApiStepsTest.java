package dev.dvemu.server.plugins;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.ParameterType;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/** Steps registered on a custom API's message run around its plug-in, as on any message (§f). */
class CustomApiStepsTest {
    static Dvemu dvemu;

    static final PluginPackage PLUGINS = registration -> registration
            .customApi(CustomApi.action("new_Trace").boundTo("new_stock")
                    .optionalRequestParameter("Refuse", ParameterType.BOOLEAN)
                    .responseProperty("Trace", ParameterType.STRING)
                    .responseProperty("Target", ParameterType.GUID)
                    .plugin(context -> {
                        context.sharedVariables().put("trace", context.sharedVariables().get("trace") + ",main:"
                                + context.stage().number() + ":" + context.isInTransaction());
                        context.outputParameters().put("Target", context.targetReference().id());
                    }))
            .step(Step.on("new_Trace", "new_stock").stage(Stage.PRE_VALIDATION).name("validate").plugin(context -> {
                if (Boolean.TRUE.equals(context.inputParameters().get("Refuse"))) {
                    throw new InvalidPluginExecutionException("Refused before the transaction.");
                }
                context.sharedVariables().put("trace", "pre-validation:" + context.isInTransaction() + ":"
                        + context.primaryEntityName() + ":" + context.depth());
            }))
            .step(Step.on("new_Trace", "new_stock").stage(Stage.PRE_OPERATION).name("pre").plugin(context ->
                    context.sharedVariables().put("trace", context.sharedVariables().get("trace") + ",pre:"
                            + context.isInTransaction())))
            .step(Step.on("new_Trace", "new_stock").stage(Stage.POST_OPERATION).name("post").plugin(context ->
                    context.outputParameters().put("Trace", context.sharedVariables().get("trace") + ",post:"
                            + context.outputParameters().get("Target").equals(context.primaryEntityId().orElseThrow()))));

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().plugins(PLUGINS).build());
    }

    @AfterAll
    static void stop() {
        dvemu.close();
    }

    private static String stock() {
        return Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"traced\"}").post("new_stocks")
                .then().statusCode(204).extract().header("OData-EntityId").replaceAll(".*\\((.*)\\)$", "$1");
    }

    @Test
    void stepsRunAroundTheMainOperation() {
        String id = stock();
        Api.given(dvemu).contentType("application/json").body("{}")
                .post("new_stocks(" + id + ")/Microsoft.Dynamics.CRM.new_Trace").then().statusCode(200)
                .body("Trace", equalTo("pre-validation:false:new_stock:1,pre:true,main:30:true,post:true"))
                .body("Target", equalTo(id));
    }

    @Test
    void bypassSkipsTheStepsButNotTheApi() {
        String id = stock();
        Api.given(dvemu).contentType("application/json").body("{}").header("MSCRM.BypassCustomPluginExecution", "true")
                .post("new_stocks(" + id + ")/Microsoft.Dynamics.CRM.new_Trace").then().statusCode(200)
                .body("Trace", equalTo(null))
                .body("Target", equalTo(id));
    }

    @Test
    void preValidationRefusalIsTheCallsError() {
        String id = stock();
        Api.given(dvemu).contentType("application/json").body("{\"Refuse\":true}")
                .post("new_stocks(" + id + ")/Microsoft.Dynamics.CRM.new_Trace").then().statusCode(400)
                .body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("Refused before the transaction."));
    }
}
