// Create, read, update and delete a new_stocks row through the client odata2ts generated from dvemu's $metadata.
// Run by Odata2tsCompatTest: DVEMU_URL is the service root (…/api/data/v9.2/); exits non-zero on the first mismatch.
import { FetchClient, FetchClientError } from "@odata2ts/http-client-fetch";
import { MicrosoftDynamicsCrmService } from "../build/gen/MicrosoftDynamicsCrmService";

const root = process.env.DVEMU_URL;
if (!root) {
  throw new Error("DVEMU_URL is not set");
}
const client = new FetchClient({ headers: { Authorization: "Bearer odata2ts", "OData-MaxVersion": "4.0" } });
const service = new MicrosoftDynamicsCrmService(client, root.replace(/\/$/, ""));

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error("odata2ts client: " + what);
  }
}

async function main(): Promise<void> {
  const me = await service.WhoAmI();
  check(me.status === 200 && typeof me.data.UserId === "string", "WhoAmI answers with a UserId");

  const name = "odata2ts " + Date.now();
  // Dataverse answers a create with 204 unless asked for the row
  const created = await service.new_stocks().create(
    { new_name: name, new_availablecount: 5 },
    { headers: { Prefer: "return=representation" } },
  );
  check(created.status === 201, "create answers 201 with return=representation, got " + created.status);
  const id = created.data.new_stockid;
  check(typeof id === "string" && created.data.new_name === name, "create returns the row");

  const read = await service.new_stocks(id!).query((q) => q.select("new_name", "new_availablecount"));
  check(read.data.new_name === name && read.data.new_availablecount === 5, "read returns the columns written");

  const listed = await service.new_stocks().query((q, s) => q.filter(s.new_name.equals(name)));
  check(listed.data.value.length === 1, "a filtered query finds the row");

  const patched = await service.new_stocks(id!).patch({ new_availablecount: 4 });
  check(patched.status === 204, "update answers 204, got " + patched.status);
  const reread = await service.new_stocks(id!).query();
  check(reread.data.new_availablecount === 4, "the update is read back");

  const deleted = await service.new_stocks(id!).delete();
  check(deleted.status === 204, "delete answers 204, got " + deleted.status);
  try {
    await service.new_stocks(id!).query();
    check(false, "a deleted row is not found");
  } catch (e) {
    check(e instanceof FetchClientError && e.status === 404, "a deleted row answers 404, got " + e);
  }
  console.log("odata2ts CRUD ok: " + id);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
