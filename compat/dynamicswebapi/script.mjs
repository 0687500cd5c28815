// DynamicsWebApi's metadata queries against a running dvemu, asserting what each returns.
// Usage: node script.mjs <Web API root, e.g. http://127.0.0.1:8080/api/data/v9.2/> <bearer token>
// Exits with 1 (and says which check failed) when dvemu answers other than these calls expect.
import assert from "node:assert/strict";
import { DynamicsWebApi } from "dynamics-web-api";

const [serviceUrl, token] = process.argv.slice(2);
if (!serviceUrl || !token) {
  console.error("usage: node script.mjs <web api url> <token>");
  process.exit(2);
}
// DynamicsWebApi takes the organization's root and appends api/data/v9.2/ itself
const root = new URL(serviceUrl);
const serverUrl = root.origin + "/";
const version = /\/v(\d+\.\d+)\/?$/.exec(root.pathname)?.[1] ?? "9.2";
const config = { serverUrl, dataApi: { version }, onTokenRefresh: async () => token };
const api = new DynamicsWebApi(config);

async function check(name, run) {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e?.stack ?? JSON.stringify(e)}`);
    process.exitCode = 1;
  }
}

await check("retrieveEntity by LogicalName with $select and $expand=Attributes", async () => {
  const table = await api.retrieveEntity({
    key: "LogicalName='new_booking'",
    select: ["LogicalName", "EntitySetName", "PrimaryIdAttribute", "PrimaryNameAttribute", "DisplayName"],
    expand: [{ property: "Attributes", select: ["LogicalName", "AttributeType"] }],
  });
  assert.equal(table.LogicalName, "new_booking");
  assert.equal(table.EntitySetName, "new_bookings");
  assert.equal(table.PrimaryIdAttribute, "new_bookingid");
  assert.equal(table.PrimaryNameAttribute, "new_name");
  assert.equal(table.DisplayName.UserLocalizedLabel.Label, "Booking");
  assert.match(table.MetadataId, /^[0-9a-f-]{36}$/);
  const status = table.Attributes.find((a) => a.LogicalName === "new_status");
  assert.equal(status.AttributeType, "Picklist");
  // and by its MetadataId
  const again = await api.retrieveEntity({ key: table.MetadataId, select: ["LogicalName"] });
  assert.equal(again.LogicalName, "new_booking");
});

await check("retrieveEntities with $select and $filter", async () => {
  const all = await api.retrieveEntities({ select: ["LogicalName", "EntitySetName"] });
  assert.ok(all.value.some((t) => t.LogicalName === "account" && t.EntitySetName === "accounts"));
  const custom = await api.retrieveEntities({ select: ["LogicalName"], filter: "IsCustomEntity eq true" });
  const names = custom.value.map((t) => t.LogicalName);
  assert.ok(names.includes("new_booking") && !names.includes("account"), names.join(","));
});

await check("retrieveAttributes, plain and cast to PicklistAttributeMetadata with $expand=OptionSet", async () => {
  const all = await api.retrieveAttributes({ entityKey: "LogicalName='new_booking'", select: ["LogicalName", "AttributeType"] });
  assert.ok(all.value.some((a) => a.LogicalName === "new_name" && a.AttributeType === "String"));
  const picklists = await api.retrieveAttributes({
    entityKey: "LogicalName='new_booking'",
    castType: "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
    select: ["LogicalName"],
    expand: "OptionSet",
  });
  assert.deepEqual(picklists.value.map((a) => a.LogicalName), ["new_status"]);
  const options = picklists.value[0].OptionSet.Options;
  assert.deepEqual(options.map((o) => o.Value), [100000000, 100000001, 100000002]);
  assert.equal(options[0].Label.UserLocalizedLabel.Label, "Pending");
});

await check("retrieveRelationships, all and cast to OneToManyRelationshipMetadata", async () => {
  const all = await api.retrieveRelationships({ select: ["SchemaName"] });
  const names = all.value.map((r) => r.SchemaName);
  assert.ok(names.includes("contact_customer_accounts") && names.includes("new_booking_contact"), names.join(","));
  const oneToMany = await api.retrieveRelationships({
    castType: "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata",
    select: ["SchemaName", "ReferencingEntity", "ReferencingAttribute"],
    filter: "ReferencedEntity eq 'new_stock'",
  });
  assert.deepEqual(oneToMany.value.map((r) => r.SchemaName).sort(), ["new_stock_bookings", "new_stock_bookingslots"]);
  const relationship = await api.retrieveRelationship({ key: "SchemaName='new_booking_contact'" });
  assert.equal(relationship.IntersectEntityName, "new_booking_contact");
});

await check("retrieveGlobalOptionSets is empty and retrieveGlobalOptionSet of an unknown name is 404", async () => {
  const sets = await api.retrieveGlobalOptionSets();
  assert.deepEqual(sets.value, []);
  await assert.rejects(api.retrieveGlobalOptionSet({ key: "Name='new_colour'" }), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.code, "0x80040217");
    return true;
  });
});

await check("useEntityNames: logical names resolved through EntityDefinitions", async () => {
  const named = new DynamicsWebApi({ ...config, useEntityNames: true });
  const rows = await named.retrieveMultiple({ collection: "new_stock", select: ["new_name"], top: 1 });
  assert.ok(Array.isArray(rows.value));
});
