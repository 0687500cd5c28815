package dev.dvemu.server.plugins;

import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Registration;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.server.support.Api;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import dev.dvemu.testkit.DvemuException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps are checked against the tables at start-up; one that cannot work stops the start, named in the message. */
public class PluginRegistrationTest {
    /** Found through the service file of a jar in a --plugins directory. */
    public static final class RefuseEmptyAccountNames implements PluginPackage {
        @Override
        public void register(Registration registration) {
            registration.step(Step.on(Message.CREATE, "account").stage(Stage.PRE_VALIDATION).name("account needs a name")
                    .plugin(c -> {
                        if (c.target().get("name", String.class).map(String::isBlank).orElse(true)) {
                            throw new dev.dvemu.plugin.InvalidPluginExecutionException("An account needs a name.");
                        }
                    }));
        }
    }

    private static String refusal(Step step) {
        DvemuException e = assertThrows(DvemuException.class, () -> Dvemu.start(DvemuConfig.builder().steps(step).build()).close());
        return e.getMessage();
    }

    @Test
    void aStepOnATableThatDoesNotExistStopsTheStart() {
        String message = refusal(Step.on(Message.CREATE, "new_nosuchtable").name("typo").plugin(c -> { }));
        assertTrue(message.contains("step 'typo': there is no table 'new_nosuchtable'"), message);
        assertTrue(message.contains("new_stock"), "the message lists the tables: " + message);
    }

    @Test
    void aMessageWithoutStepsStopsTheStart() {
        String message = refusal(Step.on("Retrieve", "account").name("reads").plugin(c -> { }));
        assertTrue(message.contains("step 'reads': dvemu runs steps for the messages Create, Update, Delete, Associate and Disassociate and the custom APIs declared, not 'Retrieve'"), message);
    }

    @Test
    void associateStepsAreForEveryTableAndHaveNoImages() {
        assertTrue(refusal(Step.on(Message.ASSOCIATE, "account").name("on a table").plugin(c -> { }))
                .contains("Associate steps run for every relationship; register them on 'none'"));
        assertTrue(refusal(Step.on(Message.DISASSOCIATE, Message.ANY_TABLE).stage(Stage.PRE_OPERATION).preImage("pre").name("imaged")
                .plugin(c -> { })).contains("Disassociate has no entity images"));
    }

    @Test
    void imagesWhereDataverseHasNoneStopTheStart() {
        assertTrue(refusal(Step.on(Message.CREATE, "account").stage(Stage.POST_OPERATION).preImage("pre").name("a").plugin(c -> { }))
                .contains("a Create has no pre-image"));
        assertTrue(refusal(Step.on(Message.DELETE, "account").stage(Stage.POST_OPERATION).postImage("post").name("b").plugin(c -> { }))
                .contains("a Delete has no post-image"));
        assertTrue(refusal(Step.on(Message.UPDATE, "account").stage(Stage.PRE_OPERATION).postImage("post").name("c").plugin(c -> { }))
                .contains("post-images exist only in the PostOperation stage"));
        assertTrue(refusal(Step.on(Message.UPDATE, "account").stage(Stage.POST_OPERATION).preImage("pre", "nosuchcolumn").name("d")
                .plugin(c -> { })).contains("image 'pre' names 'nosuchcolumn', which is not a column of account"));
    }

    @Test
    void filteringAttributesBelongToUpdateSteps() {
        assertTrue(refusal(Step.on(Message.CREATE, "account").filteringAttributes("name").name("e").plugin(c -> { }))
                .contains("filtering attributes apply to Update steps only"));
        assertTrue(refusal(Step.on(Message.UPDATE, "account").filteringAttributes("nosuch").name("f").plugin(c -> { }))
                .contains("filtering attribute names 'nosuch', which is not a column of account"));
    }

    @Test
    void twoStepsWithOneIdStopTheStart() {
        Step a = Step.on(Message.CREATE, "account").name("same").plugin(c -> { });
        Step b = Step.on(Message.UPDATE, "account").name("same").plugin(c -> { });
        DvemuException e = assertThrows(DvemuException.class, () -> Dvemu.start(DvemuConfig.builder().steps(a, b).build()).close());
        assertTrue(e.getMessage().contains("another step has the id"), e.getMessage());
    }

    @Test
    void aPackageThatFailsToRegisterStopsTheStart() {
        PluginPackage broken = registration -> {
            throw new IllegalStateException("no configuration");
        };
        DvemuException e = assertThrows(DvemuException.class, () -> Dvemu.start(DvemuConfig.builder().plugins(broken).build()).close());
        assertTrue(e.getMessage().contains("failed to register its steps: java.lang.IllegalStateException: no configuration"), e.getMessage());
    }

    @Test
    void plugInPackagesAreFoundInTheJarsOfAPluginsDirectory(@TempDir Path dir) throws Exception {
        serviceJar(dir.resolve("account-rules.jar"), RefuseEmptyAccountNames.class.getName());
        try (Dvemu dvemu = Dvemu.start(DvemuConfig.builder().args("--plugins", dir.toString()).build())) {
            Api.given(dvemu).contentType("application/json").body("{\"name\":\" \"}").post("accounts").then().statusCode(400)
                    .body("error.code", equalTo("0x80040265")).body("error.message", equalTo("An account needs a name."));
            Api.given(dvemu).contentType("application/json").body("{\"name\":\"Contoso\"}").post("accounts").then().statusCode(204);
        }
    }

    /** A jar with only a service file naming {@code packageClass} (a class the server's class loader already sees). */
    public static void serviceJar(Path jar, String packageClass) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/"));
            out.closeEntry();
            if (packageClass != null) {
                out.putNextEntry(new JarEntry("META-INF/services/" + PluginPackage.class.getName()));
                out.write((packageClass + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
