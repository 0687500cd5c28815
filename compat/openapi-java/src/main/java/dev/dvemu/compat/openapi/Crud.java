package dev.dvemu.compat.openapi;

import dev.dvemu.compat.openapi.client.ApiClient;
import dev.dvemu.compat.openapi.client.ApiException;
import dev.dvemu.compat.openapi.client.api.AccountsApi;
import dev.dvemu.compat.openapi.client.api.ServiceOperationsApi;
import dev.dvemu.compat.openapi.client.model.CollectionOfAccount;
import dev.dvemu.compat.openapi.client.model.MicrosoftDynamicsCRMAccount;
import dev.dvemu.compat.openapi.client.model.MicrosoftDynamicsCRMAccountCreate;
import dev.dvemu.compat.openapi.client.model.MicrosoftDynamicsCRMAccountUpdate;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Uses the client generated from dvemu's $metadata as a team would against Dataverse: WhoAmI, then create, read, query,
 * update (also with a stale ETag) and delete an account. Each step checks what it got; any difference ends the program
 * with a non-zero exit. The URL of the Web API comes from DVEMU_URL.
 */
public final class Crud {
    private Crud() {
    }

    public static void main(String[] args) throws ApiException {
        ApiClient client = new ApiClient();
        client.updateBaseUri(System.getenv("DVEMU_URL").replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer compat"));

        UUID user = new ServiceOperationsApi(client).whoAmIGet().getUserId();
        check(user != null, "WhoAmI answered a UserId");

        AccountsApi accounts = new AccountsApi(client);
        // the create schema requires the key, so the program chooses the id (Dataverse accepts a client-chosen id)
        UUID id = UUID.randomUUID();
        String number = "OA-" + id.toString().substring(0, 8);
        MicrosoftDynamicsCRMAccount created = accounts.accountsPost(new MicrosoftDynamicsCRMAccountCreate()
                        .accountid(id).name("OpenAPI Ltd").accountnumber(number).numberofemployees(12),
                Map.of("Prefer", "return=representation"));
        check(id.equals(created.getAccountid()) && "OpenAPI Ltd".equals(created.getName()), "create returned the row");

        MicrosoftDynamicsCRMAccount read = accounts.accountsAccountidGet(id, Set.of("name", "numberofemployees"), null);
        check(Objects.equals(read.getNumberofemployees(), 12), "read by id");

        CollectionOfAccount found = accounts.accountsGet(null, null, null, "accountnumber eq '" + number + "'",
                null, null, Set.of("accountid"), null);
        check(found.getValue().size() == 1 && id.equals(found.getValue().get(0).getAccountid()), "query by $filter");

        accounts.accountsAccountidPatch(id, new MicrosoftDynamicsCRMAccountUpdate().numberofemployees(13));
        check(Objects.equals(accounts.accountsAccountidGet(id, null, null).getNumberofemployees(), 13), "update");

        int stale = status(() -> accounts.accountsAccountidPatch(id,
                new MicrosoftDynamicsCRMAccountUpdate().numberofemployees(14), Map.of("If-Match", "W/\"1\"")));
        check(stale == 412, "an update with a stale ETag is refused with 412, got " + stale);

        accounts.accountsAccountidDelete(id);
        int gone = status(() -> accounts.accountsAccountidGet(id, null, null));
        check(gone == 404, "read after delete is 404, got " + gone);

        System.out.println("openapi-java CRUD ok");
    }

    private interface Call {
        void run() throws ApiException;
    }

    /** The HTTP status of a call that should fail (0 when it succeeded). */
    private static int status(Call call) {
        try {
            call.run();
            return 0;
        } catch (ApiException e) {
            return e.getCode();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("failed: " + what);
        }
    }
}
