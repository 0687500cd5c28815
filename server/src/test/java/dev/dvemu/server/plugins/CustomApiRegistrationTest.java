package dev.dvemu.server.plugins;

import dev.dvemu.plugin.CustomApi;
import dev.dvemu.plugin.ParameterType;
import dev.dvemu.plugin.PluginPackage;
import dev.dvemu.plugin.Stage;
import dev.dvemu.plugin.Step;
import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A custom API that cannot be served as Dataverse serves it stops the start, with a message naming it. */
class CustomApiRegistrationTest {
    private static void refused(PluginPackage plugins, String... expected) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> Dvemu.start(DvemuConfig.builder().plugins(plugins).build()).close());
        for (String part : expected) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void functionWithoutResponseIsRefused() {
        refused(r -> r.customApi(CustomApi.function("new_Nothing").plugin(c -> { })),
                "custom API new_Nothing", "at least one response property");
    }

    @Test
    void nameWithoutPublisherPrefixIsRefused() {
        refused(r -> r.customApi(CustomApi.action("Apply").plugin(c -> { })), "custom API Apply", "publisher prefix");
    }

    @Test
    void nameOfAnEntitySetIsRefused() {
        refused(r -> r.customApi(CustomApi.action("new_stocks").plugin(c -> { })), "custom API new_stocks", "entity set");
    }

    @Test
    void duplicateNamesAreRefused() {
        refused(r -> r.customApi(CustomApi.action("new_Twice").plugin(c -> { }))
                .customApi(CustomApi.action("new_twice").plugin(c -> { })), "new_twice", "another custom API");
    }

    @Test
    void boundTableMustExist() {
        refused(r -> r.customApi(CustomApi.action("new_Apply").boundTo("new_nosuch").plugin(c -> { })),
                "custom API new_Apply", "new_nosuch", "does not exist");
    }

    @Test
    void referenceParameterMustNameAnExistingTable() {
        refused(r -> r.customApi(CustomApi.action("new_Apply")
                        .requestParameter("Row", ParameterType.ENTITY_REFERENCE, "new_nosuch").plugin(c -> { })),
                "custom API new_Apply", "'Row'", "new_nosuch");
    }

    @Test
    void entityResponsePropertiesAreNotServedYet() {
        refused(r -> r.customApi(CustomApi.action("new_Apply")
                        .responseProperty("Row", ParameterType.ENTITY, "new_stock").plugin(c -> { })),
                "custom API new_Apply", "'Row'", "not yet by dvemu");
    }

    @Test
    void stepOnTheMainOperationIsRefused() {
        refused(r -> r.customApi(CustomApi.action("new_Apply").plugin(c -> { }))
                        .step(Step.on("new_Apply", "none").stage(Stage.MAIN_OPERATION).name("main").plugin(c -> { })),
                "step 'main'", "MainOperation");
    }

    @Test
    void stepOnAnUnboundApiNamesNone() {
        refused(r -> r.customApi(CustomApi.action("new_Apply").plugin(c -> { }))
                        .step(Step.on("new_Apply", "new_stock").name("pre").plugin(c -> { })),
                "step 'pre'", "unbound", "'none'");
    }

    @Test
    void stepOnAnUndeclaredMessageIsRefused() {
        refused(r -> r.step(Step.on("new_Undeclared", "none").name("pre").plugin(c -> { })),
                "step 'pre'", "new_Undeclared");
    }
}
