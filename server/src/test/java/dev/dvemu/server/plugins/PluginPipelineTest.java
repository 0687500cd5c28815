package dev.dvemu.server.plugins;

import dev.dvemu.plugin.Entity;
import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.InvalidPluginExecutionException;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.OperationStatus;
import dev.dvemu.plugin.PluginContext;
import dev.dvemu.plugin.QueryByAttribute;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event pipeline as Dataverse runs it (dataverse-features.md §f): each stage's transaction boundary, the Target
 * a PreOperation step changes, images, shared variables, depth, the bypass headers and the error bodies. The steps
 * act on the rows' names, so every test uses names of its own.
 */
class PluginPipelineTest {
    /** What the steps saw, by the name of the row they ran for. */
    private static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();
    private static final UUID POST_CREATE_STEP = UUID.fromString("00000000-0000-4000-8000-000000000040");
    private static Dvemu dvemu;

    @BeforeAll
    static void start() {
        dvemu = Dvemu.start(DvemuConfig.builder().steps(
                Step.on(Message.CREATE, "new_stock").stage(Stage.PRE_VALIDATION).name("stock pre-validation").plugin(c -> {
                    String name = name(c.target());
                    see(name, "PreValidation depth=" + c.depth() + " inTransaction=" + c.isInTransaction()
                            + " tag=" + c.sharedVariables().get("tag") + " user=" + c.userId());
                    if (name.contains("pv-write")) {
                        c.service().create(new Entity("new_booking").set("new_name", "pv-" + name));
                    }
                    if (name.contains("pv-refuse")) {
                        throw new InvalidPluginExecutionException("refused before the transaction");
                    }
                }),
                Step.on(Message.CREATE, "new_stock").stage(Stage.PRE_OPERATION).name("stock pre-operation").plugin(c -> {
                    String name = name(c.target());
                    see(name, "PreOperation inTransaction=" + c.isInTransaction());
                    if (name.contains("pre-set")) {
                        c.target().set("new_availablecount", 42);
                    }
                    if (name.contains("side-effect")) {
                        c.service().create(new Entity("new_booking").set("new_name", "side-" + name));
                    }
                }),
                Step.on(Message.CREATE, "new_stock").stage(Stage.POST_OPERATION).id(POST_CREATE_STEP).name("stock post-operation")
                        .postImage("post", "new_availablecount").plugin(c -> {
                            String name = name(c.target());
                            see(name, "PostOperation id=" + c.outputParameters().get("id") + " primary=" + c.primaryEntityId().orElse(null)
                                    + " post=" + c.postEntityImages().get("post").get("new_availablecount")
                                    + " postName=" + c.postEntityImages().get("post").contains("new_name"));
                            c.trace("traced %s", name);
                            if (name.contains("post-fail")) {
                                throw new InvalidPluginExecutionException(OperationStatus.CANCELED, 12345, "post failed for " + name);
                            }
                            if (name.contains("post-boom")) {
                                throw new IllegalStateException("boom");
                            }
                        }),
                Step.on(Message.UPDATE, "new_stock").stage(Stage.POST_OPERATION).name("stock booked count changed")
                        .filteringAttributes("new_bookedcount").preImage("pre", "new_bookedcount", "new_name")
                        .postImage("post", "new_bookedcount").plugin(c -> {
                            Entity pre = c.preEntityImages().get("pre");
                            see(name(pre), "Update pre=" + pre.get("new_bookedcount") + " post="
                                    + c.postEntityImages().get("post").get("new_bookedcount") + " target=" + c.target().attributes().keySet());
                        }),
                Step.on(Message.DELETE, "new_stock").stage(Stage.PRE_OPERATION).name("stock delete").preImage("pre", "new_name")
                        .plugin(c -> {
                            String name = name(c.preEntityImages().get("pre"));
                            see(name, "Delete target=" + (c.inputParameters().get("Target") instanceof EntityReference r
                                    ? r.logicalName() : "?") + " post=" + c.postEntityImages().size());
                            if (name.contains("undeletable")) {
                                throw new InvalidPluginExecutionException(name + " cannot be deleted");
                            }
                        }),
                Step.on(Message.CREATE, "new_booking").stage(Stage.PRE_OPERATION).name("booking depth").plugin(c -> {
                    String name = name(c.target());
                    if (name.startsWith("loop")) {
                        c.service().create(new Entity("new_booking").set("new_name", name));
                    } else if (name.startsWith("parent")) {
                        see(name, "depth=" + c.depth() + " parent=" + c.parentContext().isPresent());
                        c.service().create(new Entity("new_booking").set("new_name", "child-" + name));
                    } else if (name.startsWith("child")) {
                        PluginContext parent = c.parentContext().orElseThrow();
                        see(name, "depth=" + c.depth() + " parentMessage=" + parent.messageName() + " sameCorrelation="
                                + parent.correlationId().equals(c.correlationId()));
                    } else if (name.startsWith("swallow")) {
                        UUID twice = UUID.randomUUID();
                        c.service().create(new Entity("new_booking", twice).set("new_name", "first-" + name));
                        try {
                            c.service().create(new Entity("new_booking", twice).set("new_name", "again-" + name));
                        } catch (dev.dvemu.plugin.DataverseFault swallowed) {
                            see(name, "swallowed " + swallowed.code());
                        }
                    } else if (name.startsWith("count")) {
                        List<Entity> same = c.service().retrieveMultiple(new QueryByAttribute("new_booking")
                                .where("new_name", name).columns("new_name"));
                        see(name, "visible=" + same.size());
                    }
                })).build());
    }

    @AfterAll
    static void stop() throws Exception {
        dvemu.close();
    }

    private static String name(Entity e) {
        return e.get("new_name", String.class).orElse("");
    }

    private static void see(String name, String what) {
        SEEN.computeIfAbsent(name, n -> Collections.synchronizedList(new ArrayList<>())).add(what);
    }

    private static List<String> seen(String name) {
        return SEEN.getOrDefault(name, List.of());
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static Response createStock(String name, String... headers) {
        var request = Api.given(dvemu).contentType("application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.body("{\"new_name\":\"" + name + "\",\"new_availablecount\":5,\"new_bookedcount\":1}").post("new_stocks");
    }

    private static int count(String set, String name) {
        return Api.given(dvemu).queryParam("$filter", "new_name eq '" + name + "'").get(set)
                .then().statusCode(200).extract().jsonPath().getList("value").size();
    }

    private static String idOf(Response created) {
        String entityId = created.header("OData-EntityId");
        return entityId.substring(entityId.lastIndexOf('(') + 1, entityId.length() - 1);
    }

    @Test
    void aCreateRunsPreValidationOutsideTheTransactionThenPreAndPostOperationInsideIt() {
        String name = unique("stages");
        String id = idOf(createStock(name).then().statusCode(204).extract().response());
        List<String> seen = seen(name);
        assertEquals(3, seen.size(), seen::toString);
        assertTrue(seen.get(0).startsWith("PreValidation depth=1 inTransaction=false tag=null user=d5e4a3b2-0001-4000-8000-00000000dead"), seen::toString);
        assertEquals("PreOperation inTransaction=true", seen.get(1));
        assertEquals("PostOperation id=" + id + " primary=" + id + " post=5 postName=false", seen.get(2));
    }

    @Test
    void aPreOperationStepChangesWhatIsWritten() {
        String name = unique("pre-set");
        String id = idOf(createStock(name).then().statusCode(204).extract().response());
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(42));
        assertTrue(seen(name).get(2).contains("post=42"), seen(name)::toString);
    }

    @Test
    void aPostOperationExceptionRollsBackTheWriteAndWhatPreOperationWrote() {
        String name = unique("side-effect-post-fail");
        createStock(name).then().statusCode(400)
                .body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("post failed for " + name));
        assertEquals(0, count("new_stocks", name));
        assertEquals(0, count("new_bookings", "side-" + name), "the PreOperation step's create is rolled back too");
    }

    @Test
    void whatPreValidationWroteOutsideTheTransactionStaysWhenTheOperationFails() {
        String name = unique("pv-write-post-fail");
        createStock(name).then().statusCode(400).body("error.code", equalTo("0x80040265"));
        assertEquals(0, count("new_stocks", name));
        assertEquals(1, count("new_bookings", "pv-" + name), "PreValidation of a request's own operation runs before its transaction");
    }

    @Test
    void aPreValidationRefusalWritesNothing() {
        String name = unique("pv-refuse");
        createStock(name).then().statusCode(400).body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("refused before the transaction"));
        assertEquals(0, count("new_stocks", name));
        assertEquals(List.of("PreValidation"), seen(name).stream().map(s -> s.substring(0, s.indexOf(' '))).toList());
    }

    @Test
    void aChangesetWithAFailingPlugInInALaterOperationLeavesNothing() {
        String first = unique("side-effect-first");
        String second = unique("pv-write-post-fail");
        BatchBody body = BatchBody.crlf().beginChangeset()
                .op("1", "POST", "new_stocks", "{\"new_name\":\"" + first + "\"}")
                .op("2", "POST", "new_stocks", "{\"new_name\":\"" + second + "\"}")
                .endChangeset();
        String answer = Api.given(dvemu).contentType(body.contentType()).body(body.build().getBytes(StandardCharsets.UTF_8))
                .post("$batch").then().statusCode(400).extract().asString();
        assertTrue(answer.contains("0x80040265") && answer.contains("post failed for " + second), answer);
        assertEquals(0, count("new_stocks", first));
        assertEquals(0, count("new_bookings", "side-" + first), "operation 1's plug-in writes are rolled back");
        assertEquals(0, count("new_stocks", second));
        assertEquals(0, count("new_bookings", "pv-" + second), "inside a changeset PreValidation runs in its transaction");
        assertTrue(seen(second).get(0).contains("inTransaction=true"), seen(second)::toString);
    }

    @Test
    void anInvalidPluginExecutionCarriesDataversesAnnotationsWhenAskedFor() {
        String name = unique("post-fail");
        createStock(name, "Prefer", "odata.include-annotations=\"*\"").then().statusCode(400)
                .body("error.code", equalTo("0x80040265"))
                .body("error.message", equalTo("post failed for " + name))
                .body("error.'@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'", equalTo("1"))
                .body("error.'@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode'", equalTo("12345"))
                .body("error.'@Microsoft.PowerApps.CDS.HelpLink'", startsWith("http://go.microsoft.com/fwlink/?LinkID=398563"))
                .body("error.'@Microsoft.PowerApps.CDS.TraceText'", containsString("traced " + name))
                .body("error.'@Microsoft.PowerApps.CDS.InnerError.Message'", equalTo("post failed for " + name));
        String plain = createStock(unique("post-fail")).then().statusCode(400).extract().asString();
        assertTrue(!plain.contains("@Microsoft.PowerApps"), plain);
    }

    @Test
    void anyOtherExceptionIsAnUnexpectedIsvError() {
        String name = unique("post-boom");
        createStock(name).then().statusCode(400)
                .body("error.code", equalTo("0x80040224"))
                .body("error.message", startsWith("An unexpected error occurred from ISV code."))
                .body("error.message", containsString("java.lang.IllegalStateException: boom"));
        assertEquals(0, count("new_stocks", name));
    }

    @Test
    void theTagQueryOptionIsTheSharedVariableTag() {
        String name = unique("tagged");
        Api.given(dvemu).contentType("application/json").queryParam("tag", "from the client")
                .body("{\"new_name\":\"" + name + "\"}").post("new_stocks").then().statusCode(204);
        assertTrue(seen(name).get(0).contains("tag=from the client"), seen(name)::toString);
    }

    @Test
    void anImpersonatedRequestRunsAsThatUser() {
        String name = unique("impersonated");
        UUID user = UUID.randomUUID();
        createStock(name, "MSCRMCallerID", user.toString()).then().statusCode(204);
        assertTrue(seen(name).get(0).endsWith("user=" + user), seen(name)::toString);
    }

    @Test
    void anUpdateStepSeesPreAndPostImagesAndRunsOnlyForItsFilteringAttributes() {
        String name = unique("images");
        String id = idOf(createStock(name).then().statusCode(204).extract().response());
        Api.given(dvemu).contentType("application/json").body("{\"new_availablecount\":9}").patch("new_stocks(" + id + ")")
                .then().statusCode(204);
        assertEquals(3, seen(name).size(), "an update without a filtering attribute runs no Update step: " + seen(name));
        Api.given(dvemu).contentType("application/json").body("{\"new_bookedcount\":7}").patch("new_stocks(" + id + ")")
                .then().statusCode(204);
        assertEquals("Update pre=1 post=7 target=[new_bookedcount]", seen(name).get(3));
        Api.given(dvemu).contentType("application/json").body("{\"value\":8}").put("new_stocks(" + id + ")/new_bookedcount")
                .then().statusCode(204);
        assertEquals("Update pre=7 post=8 target=[new_bookedcount]", seen(name).get(4), "setting one column is an Update");
    }

    @Test
    void anUpsertRunsTheCreateOrTheUpdatePipeline() {
        String name = unique("upsert");
        UUID id = UUID.randomUUID();
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\",\"new_bookedcount\":2}")
                .patch("new_stocks(" + id + ")").then().statusCode(204);
        assertEquals("PostOperation id=" + id + " primary=" + id + " post=null postName=false", seen(name).get(2));
        Api.given(dvemu).contentType("application/json").body("{\"new_bookedcount\":3}")
                .patch("new_stocks(" + id + ")").then().statusCode(204);
        assertEquals("Update pre=2 post=3 target=[new_bookedcount]", seen(name).get(3));
    }

    @Test
    void aDeleteStepGetsAReferenceAsTargetAndAPreImage() {
        String name = unique("deleted");
        String id = idOf(createStock(name).then().statusCode(204).extract().response());
        Api.given(dvemu).delete("new_stocks(" + id + ")").then().statusCode(204);
        assertEquals("Delete target=new_stock post=0", seen(name).get(3));

        String kept = unique("undeletable");
        String keptId = idOf(createStock(kept).then().statusCode(204).extract().response());
        Api.given(dvemu).delete("new_stocks(" + keptId + ")").then().statusCode(400)
                .body("error.code", equalTo("0x80040265")).body("error.message", equalTo(kept + " cannot be deleted"));
        Api.given(dvemu).get("new_stocks(" + keptId + ")").then().statusCode(200);
    }

    @Test
    void anOperationAPlugInStartsRunsOneLevelDeeperInTheSameTransaction() {
        String name = unique("parent");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(204);
        assertEquals(List.of("depth=1 parent=false"), seen(name));
        assertEquals(List.of("depth=2 parentMessage=Create sameCorrelation=true"), seen("child-" + name));
        assertEquals(1, count("new_bookings", "child-" + name));
    }

    @Test
    void aPlugInLoopEndsAtDepthEightAndWritesNothing() {
        String name = unique("loop");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(400).body("error.code", equalTo("0x80044182"))
                .body("error.message", startsWith("This workflow job was canceled because the workflow that started it included an infinite loop."));
        assertEquals(0, count("new_bookings", name));
    }

    @Test
    void aFailureAPlugInSwallowsStillFailsTheOperationAsDataverseDoes() {
        String name = unique("swallow");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(500).body("error.code", equalTo("0x80040255"))
                .body("error.message", containsString("swallowed SQL deadlock exception"));
        assertEquals(List.of("swallowed 0x80040237"), seen(name));
        assertEquals(0, count("new_bookings", name));
        assertEquals(0, count("new_bookings", "first-" + name));
    }

    @Test
    void aPlugInsQueryRunsInItsOperationsTransaction() {
        String name = unique("count");
        Api.given(dvemu).contentType("application/json").body("{\"new_name\":\"" + name + "\"}").post("new_bookings")
                .then().statusCode(204);
        assertEquals(List.of("visible=0"), seen(name), "the row being created is not written before PreOperation");
    }

    @Test
    void theBypassHeadersSkipSynchronousSteps() {
        for (String[] header : List.of(new String[]{"MSCRM.BypassCustomPluginExecution", "true"},
                new String[]{"MSCRM.BypassBusinessLogicExecution", "CustomSync"},
                new String[]{"MSCRM.BypassBusinessLogicExecution", "CustomAsync,CustomSync"})) {
            String name = unique("post-fail");
            createStock(name, header).then().statusCode(204);
            assertEquals(List.of(), seen(name), header[0] + ": " + header[1]);
            assertEquals(1, count("new_stocks", name));
        }
        String async = unique("post-fail");
        createStock(async, "MSCRM.BypassBusinessLogicExecution", "CustomAsync").then().statusCode(400)
                .body("error.code", equalTo("0x80040265"));
    }

    @Test
    void theStepIdsHeaderSkipsOnlyThoseSteps() {
        String name = unique("pre-set-post-fail");
        String id = idOf(createStock(name, "MSCRM.BypassBusinessLogicExecutionStepIds", "\"" + POST_CREATE_STEP + ", "
                + UUID.randomUUID() + "\"").then().statusCode(204).extract().response());
        Api.given(dvemu).get("new_stocks(" + id + ")").then().statusCode(200).body("new_availablecount", equalTo(42));
        assertEquals(2, seen(name).size(), seen(name)::toString);
    }

    @Test
    void aBypassHeaderWithAValueDataverseDoesNotTakeIsRefused() {
        createStock(unique("bad-bypass"), "MSCRM.BypassBusinessLogicExecution", "Everything").then().statusCode(400)
                .body("error.message", containsString("CustomSync"));
        createStock(unique("bad-bypass"), "MSCRM.BypassCustomPluginExecution", "yes").then().statusCode(400);
        createStock(unique("bad-bypass"), "MSCRM.BypassBusinessLogicExecutionStepIds", "not-a-guid").then().statusCode(400);
    }
}
