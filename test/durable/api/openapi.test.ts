// The OpenAPI document (durable/api/openapi.json) against real responses: every route of the API is
// documented, and every answer has each field the spec names, of the right type. A tiny checker
// covers the part of JSON Schema the document uses.
import { describe, expect, it } from "vitest";
import spec from "../../../durable/api/openapi.json";
import { ROUTES } from "../../../durable/api/routes";
import type { Repository } from "../../../durable/repository";
import { api, call, oid, postJson, seed, storeFixturePack, tamper, Z, type ApiResult } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

type Schema = Record<string, any>;

const ANNOTATIONS = new Set(["description", "format", "title", "default"]);
const KEYWORDS = new Set(["$ref", "type", "properties", "required", "items", "enum", "additionalProperties", "pattern", "oneOf", ...ANNOTATIONS]);

/** Follows a local "#/a/b" reference. */
function resolve(node: Schema): Schema {
  if (!node.$ref) return node;
  const target = (node.$ref as string).slice(2).split("/").reduce<any>((at, key) => at?.[key], spec);
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return resolve(target);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** The ways `value` breaks `schema` (empty when it conforms). */
function violations(schema: Schema, value: unknown, path = "$"): string[] {
  for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) throw new Error(`the checker does not know keyword ${key} (at ${path})`);
  if (schema.$ref) return violations(resolve(schema), value, path);
  const errors: string[] = [];
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((s) => violations(s, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of the oneOf schemas, not exactly one`);
  }
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === "integer" && types.includes("number"))) return [...errors, `${path}: ${actual}, expected ${types.join(" or ")}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.pattern && typeof value === "string" && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...violations(schema.items, item, `${path}[${i}]`)));
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${path}: ${name} is missing`);
    for (const [name, sub] of Object.entries<Schema>(schema.properties ?? {})) if (name in object) errors.push(...violations(sub, object[name], `${path}.${name}`));
    if (schema.additionalProperties !== undefined) {
      for (const [name, item] of Object.entries(object)) {
        if (schema.properties && name in schema.properties) continue;
        if (schema.additionalProperties === false) errors.push(`${path}: unexpected ${name}`);
        else if (typeof schema.additionalProperties === "object") errors.push(...violations(schema.additionalProperties, item, `${path}.${name}`));
      }
    }
  }
  return errors;
}

/** The response schema the spec gives for this route, method and status. */
function responseSchema(template: string, method: string, status: number, mediaType: string): Schema {
  const operation = (spec.paths as Record<string, any>)[`/api/repos/{owner}/{repo}/${template}`]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${template} is not in the spec`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method} ${template} answered ${status}, which the spec does not list`);
  const schema = resolve(response).content?.[mediaType]?.schema;
  if (!schema) throw new Error(`${method} ${template} ${status} has no ${mediaType} schema`);
  return schema;
}

const covered = new Set<string>();

/** Calls the API and checks the answer against the spec. */
async function conforms(repo: Repository, method: string, template: string, path: string, init?: RequestInit): Promise<ApiResult> {
  const res = await api(repo, path, { ...init, method });
  expect(violations(responseSchema(template, method, res.status, "application/json"), res.body), `${method} ${path} → ${res.status}`).toEqual([]);
  covered.add(`${method} ${template} ${res.status}`);
  return res;
}

describe("OpenAPI contract", () => {
  it("documents exactly the routes the API serves", () => {
    const served = ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} /api/repos/{owner}/{repo}/${r.path.replace(/:(\w+)/g, "{$1}")}`));
    const documented = Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => k !== "parameters").map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(served.sort());
    expect(spec.openapi).toBe("3.1.0");
  });

  it("the checker catches missing fields, wrong types, enums, patterns and nulls", () => {
    const event = resolve({ $ref: "#/components/schemas/Event" });
    const good = { seq: 1, pushId: "p", ref: "refs/heads/main", oldOid: Z, newOid: oid(1), kind: "create", actor: "a", at: "2024-01-01T00:00:00.000Z", prevHash: "0".repeat(64) };
    expect(violations(event, good)).toEqual([]);
    const { actor: _, ...missing } = good;
    expect(violations(event, missing)).toEqual(["$: actor is missing"]);
    expect(violations(event, { ...good, seq: "1" })).toHaveLength(1);
    expect(violations(event, { ...good, seq: 1.5 })).toHaveLength(1);
    expect(violations(event, { ...good, kind: "push" })).toHaveLength(1);
    expect(violations(event, { ...good, newOid: "xyz" })).toHaveLength(1);
    expect(violations(resolve({ $ref: "#/components/schemas/EventPage" }), { events: [good], nextCursor: null })).toEqual([]);
    expect(violations(resolve({ $ref: "#/components/schemas/EventPage" }), { events: [{}], nextCursor: 3 })).toHaveLength(10);
    expect(violations(resolve({ $ref: "#/components/schemas/Refs" }), { seq: 1, head: "h", refs: { a: "nope" } })).toHaveLength(1);
    expect(violations(resolve({ $ref: "#/components/schemas/Verification" }), { ok: false, events: 3 })).toHaveLength(1);
  });

  it("every answer matches the spec", async () => {
    await inRepo(async (repo) => {
      expect((await conforms(repo, "GET", "ref-log", "ref-log")).status).toBe(404);
      expect((await conforms(repo, "GET", "pushes/{pushId}", "pushes/x")).status).toBe(404);
      const { packId, commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[2]!, pushId: "push-1" }, { ref: "refs/tags/v1", to: commits[1]! }, { ref: "refs/heads/main", to: commits[0]!, kind: "force" });
      repo.sql.exec("INSERT INTO pushes (id, actor, at, pack_id, options) VALUES ('push-1', 'alice', 0, ?, '[\"a=b\"]')", packId);

      const page = await conforms(repo, "GET", "ref-log", "ref-log?limit=2");
      expect(page.body.events).toHaveLength(2);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      await conforms(repo, "GET", "ref-log", `ref-log?limit=2&cursor=${page.body.nextCursor}`);
      await conforms(repo, "GET", "ref-log", "ref-log?limit=0");

      await conforms(repo, "GET", "refs", "refs");
      await conforms(repo, "GET", "refs", "refs?at=1");
      await conforms(repo, "GET", "refs", "refs?at=2000-01-01");
      await conforms(repo, "GET", "refs", "refs?at=never");

      await conforms(repo, "GET", "pushes/{pushId}", "pushes/push-1");
      expect((await conforms(repo, "GET", "storage", "storage")).body.packs).toHaveLength(1);
      expect((await conforms(repo, "POST", "housekeeping", "housekeeping", { method: "POST" })).body.repacked).toBe(true);
      expect((await conforms(repo, "GET", "storage", "storage")).body.packs.map((p: { state: string }) => p.state)).toContain("retired");
      expect((await conforms(repo, "GET", "pushes/{pushId}", "pushes/nope")).status).toBe(404);

      const restore = (body: unknown) => conforms(repo, "POST", "refs/restore", "refs/restore", postJson(body));
      expect((await restore({ ref: "refs/heads/main", seq: 1 })).status).toBe(201);
      expect((await restore({ ref: "refs/heads/main", seq: 1 })).status).toBe(200);
      expect((await restore({ ref: "refs/heads/main", seq: 99 })).status).toBe(400);
      seed(repo, { ref: "refs/heads/lost", to: oid(7) }, { ref: "refs/heads/lost", to: commits[0]!, kind: "force" });
      expect((await restore({ ref: "refs/heads/lost", seq: 5 })).status).toBe(409);
      const restored = (await conforms(repo, "GET", "ref-log", "ref-log?kind=restore")).body.events[0];
      await conforms(repo, "GET", "pushes/{pushId}", `pushes/${restored.pushId}`);

      expect((await conforms(repo, "GET", "ref-log/verify", "ref-log/verify")).body.ok).toBe(true);
      tamper(repo, "UPDATE ref_events SET actor = 'mallory' WHERE seq = 2");
      expect((await conforms(repo, "GET", "ref-log/verify", "ref-log/verify")).body).toEqual({ ok: false, brokenAt: 3 });

      const res = await call(repo, "ref-log.ndjson");
      const lines = new TextDecoder().decode(await res.arrayBuffer()).trimEnd().split("\n").map((l) => JSON.parse(l));
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(violations(responseSchema("ref-log.ndjson", "GET", res.status, "application/x-ndjson"), line)).toEqual([]);
      await conforms(repo, "GET", "ref-log.ndjson", "ref-log.ndjson?kind=nope");

      // Every success answer the spec lists was exercised.
      const successes = Object.entries(spec.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([m]) => m !== "parameters")
          .flatMap(([m, op]) => Object.keys((op as { responses: object }).responses).filter((s) => s.startsWith("2")).map((s) => `${m.toUpperCase()} ${path.replace("/api/repos/{owner}/{repo}/", "")} ${s}`)),
      );
      for (const s of successes.filter((s) => !s.startsWith("GET ref-log.ndjson"))) expect(covered, s).toContain(s);
    });
  });
});
