// The OpenAPI document (durable/api/openapi.json) against real responses: every route of the API is
// documented, and every answer has each field the spec names, of the right type.
import { describe, expect, it } from "vitest";
import spec from "../../../durable/api/openapi.json";
import { router } from "../../../worker/router";
import { ROUTES } from "../../../durable/api/routes";
import type { Repository } from "../../../durable/repository";
import { api, call, oid, postJson, seed, storeFixturePack, tamper, Z, type ApiResult } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";
import { resolve, responseSchema, violations } from "../../support/workerd/openapi";
import { ADMIN, bearer, send } from "../../support/workerd/worker";
import { createLock } from "../../../durable/lfs/locks";
import { ANONYMOUS_ADMIN } from "../../../durable/access/principal";
import { deliveryId, recordAttempt } from "../../../durable/hooks/deliveries";

const covered = new Set<string>();

/** The spec's path for a route of the repository API ("" is the repository itself). */
const repoPath = (template: string) => `/api/repos/{owner}/{repo}${template ? `/${template}` : ""}`;

/** Calls the repository API and checks the answer against the spec. */
async function conforms(repo: Repository, method: string, template: string, path: string, init?: RequestInit): Promise<ApiResult> {
  const res = await api(repo, path, { ...init, method });
  expect(violations(responseSchema(repoPath(template), method, res.status, "application/json"), res.body), `${method} ${path} → ${res.status}`).toEqual([]);
  covered.add(`${method} ${repoPath(template)} ${res.status}`);
  return res;
}

/** Calls a route of the Worker itself (token mode) and checks the answer against the spec. */
async function conformsWorker(method: string, template: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await send(new Request(`http://x${path}`, bearer(ADMIN, { ...init, method })));
  const body = res.status === 204 ? undefined : await res.json();
  if (body !== undefined) expect(violations(responseSchema(template, method, res.status, "application/json"), body), `${method} ${path} → ${res.status}`).toEqual([]);
  covered.add(`${method} ${template} ${res.status}`);
  return { status: res.status, body };
}

describe("OpenAPI contract", () => {
  it("documents exactly the routes the API serves", () => {
    const served = ROUTES.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${repoPath(r.path.replace(/:(\w+)/g, "{$1}").replace(/\*$/, "{path}"))}`));
    // The Worker's own routes (itty-router's table: method, regex, handlers, path), beside the forwarding ones.
    for (const [method, , , path = ""] of router.routes) if (path.startsWith("/api/") && !path.endsWith("/*") && method !== "ALL") served.push(`${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => k !== "parameters").map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(served.sort());
    expect(spec.openapi).toBe("3.1.0");
  });

  it("the checker catches missing fields, wrong types, enums, patterns and nulls", () => {
    const event = resolve({ $ref: "#/components/schemas/Event" });
    const good = { seq: 1, pushId: "p", ref: "refs/heads/main", oldOid: Z, newOid: oid(1), kind: "create", actor: "a", actorId: null, at: "2024-01-01T00:00:00.000Z", prevHash: "0".repeat(64) };
    expect(violations(event, good)).toEqual([]);
    const { actor: _, ...missing } = good;
    expect(violations(event, missing)).toEqual(["$: actor is missing"]);
    expect(violations(event, { ...good, seq: "1" })).toHaveLength(1);
    expect(violations(event, { ...good, seq: 1.5 })).toHaveLength(1);
    expect(violations(event, { ...good, kind: "push" })).toHaveLength(1);
    expect(violations(event, { ...good, newOid: "xyz" })).toHaveLength(1);
    expect(violations(resolve({ $ref: "#/components/schemas/EventPage" }), { events: [good], nextCursor: null })).toEqual([]);
    expect(violations(resolve({ $ref: "#/components/schemas/EventPage" }), { events: [{}], nextCursor: 3 })).toHaveLength(11);
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
      const health = (await conforms(repo, "GET", "health", "health")).body;
      expect(health.lastPush).toMatchObject({ pushId: "push-1", actor: "alice" });
      expect(health.wholePacks).toEqual({ served: false, offSince: "force of refs/heads/main" });
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
      for (const line of lines) expect(violations(responseSchema(repoPath("ref-log.ndjson"), "GET", res.status, "application/x-ndjson"), line)).toEqual([]);
      await conforms(repo, "GET", "ref-log.ndjson", "ref-log.ndjson?kind=nope");

      await conforms(repo, "GET", "", "");
      const patched = await conforms(repo, "PATCH", "", "", postJson({ visibility: "public", protection: [{ pattern: "refs/heads/*", deletion: true }] }));
      expect(patched.body.event.actor).toBe("tester");
      expect((await conforms(repo, "PATCH", "", "", postJson({ visibility: "public" }))).body.event).toBeNull();
      expect((await conforms(repo, "PATCH", "", "", postJson({ visibility: "secret" }))).status).toBe(400);
      expect((await conforms(repo, "GET", "settings-log", "settings-log")).body.events).toHaveLength(1);
      // The browse routes, on the fixture's history (v1 a lightweight tag; main as the restores left it).
      const tip = commits.indexOf(repo.refs.get("refs/heads/main")!);
      expect((await conforms(repo, "GET", "branches", "branches")).body.branches.find((b: { name: string }) => b.name === "main")).toMatchObject({ default: true, commit: { oid: commits[tip] } });
      expect((await conforms(repo, "GET", "tags", "tags?at=2")).body.tags[0]).toMatchObject({ name: "v1", annotated: false });
      const commitsPage = await conforms(repo, "GET", "commits", "commits?limit=2");
      expect(commitsPage.body.commits.map((c: { oid: string }) => c.oid)).toEqual(commits.slice(tip, tip + 2));
      expect(commitsPage.headers.get("Link")).toMatch(/rel="next"/);
      await conforms(repo, "GET", "commits", "commits?limit=500");
      await conforms(repo, "GET", "commits", "commits?ref=nope");
      expect((await conforms(repo, "GET", "commits/{oid}", `commits/${commits[0]}`)).headers.get("Cache-Control")).toMatch(/immutable/);
      await conforms(repo, "GET", "commits/{oid}", `commits/${commits[commits.length - 1]}`);
      await conforms(repo, "GET", "commits/{oid}", "commits/0000000");
      const root = await conforms(repo, "GET", "tree/{path}", "tree/main");
      const file = root.body.entries.find((e: { type: string }) => e.type === "blob");
      await conforms(repo, "GET", "tree/{path}", "tree/main/?recursive=1");
      await conforms(repo, "GET", "tree/{path}", "tree/main/no/such/dir");
      await conforms(repo, "GET", "blob/{path}", `blob/main/${file.path}`);
      await conforms(repo, "GET", "blob/{path}", "blob/main/");
      const raw = await call(repo, `raw/${commits[tip]}/${file.path}`);
      expect(raw.status).toBe(200);
      covered.add(`GET ${repoPath("raw/{path}")} 200`);
      expect((await call(repo, `raw/main/${file.path}`, { headers: { "If-None-Match": raw.headers.get("ETag")! } })).status).toBe(304);
      const part = await call(repo, `raw/main/${file.path}`, { headers: { Range: "bytes=0-0" } });
      expect([part.status, part.headers.get("Content-Range")]).toEqual([206, `bytes 0-0/${file.size}`]);
      covered.add(`GET ${repoPath("raw/{path}")} 206`);
      expect((await conforms(repo, "GET", "compare/{spec}", `compare/${commits[tip + 2]}...main`)).body).toMatchObject({ aheadBy: 2, behindBy: 0, status: "ahead" });
      await conforms(repo, "GET", "compare/{spec}", "compare/main");
      createLock(repo.sql, "art/logo.psd", null, { ...ANONYMOUS_ADMIN, actor: "tester" });
      expect((await conforms(repo, "GET", "lock-log", "lock-log")).body.events).toHaveLength(1);

      // Webhooks: the repository's routes (a failed delivery recorded by hand, to redeliver).
      const hook = await conforms(repo, "POST", "hooks", "hooks", postJson({ url: "https://example.com/hook", secret: "s", events: ["push", "repository"] }));
      expect(hook.status).toBe(201);
      expect((await conforms(repo, "POST", "hooks", "hooks", postJson({ url: "ftp://example.com/", secret: "s", events: ["push"] }))).status).toBe(400);
      expect((await conforms(repo, "GET", "hooks", "hooks")).body.hooks).toHaveLength(1);
      const hookPath = `hooks/${hook.body.id}`;
      await conforms(repo, "GET", "hooks/{hookId}", hookPath);
      expect((await conforms(repo, "PATCH", "hooks/{hookId}", hookPath, { ...postJson({ active: false }), method: "PATCH" })).body.active).toBe(false);
      const item = { id: deliveryId(hook.body.id, "ref", 1), hookId: hook.body.id, event: "push" as const, log: "ref" as const, firstSeq: 1, lastSeq: 1 };
      recordAttempt(repo.sql, item, { ok: false, responseCode: 500, durationMs: 3, error: "the receiver answered HTTP 500" }, Date.now());
      expect((await conforms(repo, "GET", "hooks/{hookId}/deliveries", `${hookPath}/deliveries`)).body.deliveries).toMatchObject([{ id: item.id, attempts: 1, status: "pending" }]);
      await conforms(repo, "POST", "hooks/{hookId}/deliveries/{deliveryId}/redeliver", `${hookPath}/deliveries/${item.id}/redeliver`);
      await conforms(repo, "POST", "hooks/{hookId}/deliveries/{deliveryId}/redeliver", `${hookPath}/deliveries/nope/redeliver`);
      expect((await call(repo, hookPath, { method: "DELETE" })).status).toBe(204);
      covered.add(`DELETE ${repoPath("hooks/{hookId}")} 204`);
      expect((await conforms(repo, "GET", "hooks/{hookId}", hookPath)).status).toBe(404);

      // Repositories: the Worker's routes.
      const name = `spec-${crypto.randomUUID().slice(0, 8)}`;
      const created = await conformsWorker("POST", "/api/repos", "/api/repos", { body: JSON.stringify({ owner: "spec", name, visibility: "public", description: "a test" }) });
      expect(created).toMatchObject({ status: 201, body: { name: `spec/${name}`, visibility: "public", defaultBranch: "main" } });
      expect((await conformsWorker("POST", "/api/repos", "/api/repos", { body: JSON.stringify({ owner: "spec", name }) })).status).toBe(409);
      expect((await conformsWorker("POST", "/api/repos", "/api/repos", { body: JSON.stringify({ owner: "spec", name: "x.git.git" }) })).status).toBe(400);
      expect((await conformsWorker("GET", "/api/repos", "/api/repos?owner=spec")).body.repos.map((r: { name: string }) => r.name)).toContain(`spec/${name}`);
      expect((await conformsWorker("DELETE", "/api/repos/{owner}/{repo}", `/api/repos/spec/${name}`)).body.purgeAt).toEqual(expect.any(String));
      expect((await conformsWorker("DELETE", "/api/repos/{owner}/{repo}", `/api/repos/spec/${name}`)).status).toBe(404);
      expect((await conformsWorker("GET", "/api/repos", "/api/repos?owner=spec&deleted=true")).body.repos.map((r: { name: string }) => r.name)).toContain(`spec/${name}`);
      expect((await conformsWorker("POST", "/api/repos/{owner}/{repo}/undelete", `/api/repos/spec/${name}/undelete`)).body.deletedAt).toBeUndefined();
      expect((await conformsWorker("POST", "/api/repos/{owner}/{repo}/undelete", `/api/repos/spec/nope-${name}/undelete`)).status).toBe(404);
      const fork = await conformsWorker("POST", "/api/repos/{owner}/{repo}/forks", `/api/repos/spec/${name}/forks`, { body: JSON.stringify({ owner: "spec", name: `${name}-fork` }) });
      expect(fork).toMatchObject({ status: 202, body: { name: `spec/${name}-fork`, visibility: "public" } });
      expect((await conformsWorker("POST", "/api/repos/{owner}/{repo}/forks", `/api/repos/spec/${name}/forks`, { body: JSON.stringify({ owner: "spec", name: `${name}-fork` }) })).status).toBe(409);
      const imported = await conformsWorker("POST", "/api/repos/{owner}/{repo}/import", `/api/repos/spec/${name}-import/import`, { body: JSON.stringify({ url: "https://example.com/some/repo.git" }) });
      expect(imported).toMatchObject({ status: 202, body: { name: `spec/${name}-import` } });
      expect((await conformsWorker("POST", "/api/repos/{owner}/{repo}/import", `/api/repos/spec/${name}-import2/import`, { body: JSON.stringify({ url: "ftp://example.com/" }) })).status).toBe(400);
      expect((await conformsWorker("GET", "/api/repos/{owner}/{repo}/import", `/api/repos/spec/${name}-import/import`)).body.url).toBe("https://example.com/some/repo.git");
      expect((await conformsWorker("GET", "/api/repos/{owner}/{repo}/import", `/api/repos/spec/${name}/import`)).status).toBe(404);
      const log = await conformsWorker("GET", "/api/registry-log", `/api/registry-log?repo=spec/${name}`);
      expect(log.body.events.map((e: { kind: string }) => e.kind)).toEqual(["undeleted", "deleted", "created"]);
      await conformsWorker("GET", "/api/registry-log", "/api/registry-log?limit=0");

      const minted = await conformsWorker("POST", "/api/tokens", "/api/tokens", { body: JSON.stringify({ name: "ci", repos: ["o/*"], scopes: ["write"], expiresAt: "2100-01-01T00:00:00Z" }) });
      expect(minted.status).toBe(201);
      expect((await conformsWorker("POST", "/api/tokens", "/api/tokens", { body: JSON.stringify({ name: "ci", repos: ["o/*"], scopes: ["root"] }) })).status).toBe(400);
      expect((await conformsWorker("GET", "/api/tokens", "/api/tokens")).body.tokens.map((t: { id: string }) => t.id)).toContain(minted.body.id);
      expect((await conformsWorker("DELETE", "/api/tokens/{id}", `/api/tokens/${minted.body.id}`)).status).toBe(204);
      expect((await conformsWorker("DELETE", "/api/tokens/{id}", `/api/tokens/${minted.body.id}`)).status).toBe(404);
      expect((await conformsWorker("GET", "/api/health", "/api/health")).body).toMatchObject({ ok: true, registry: { ok: true } });

      // Every success answer the spec lists was exercised.
      const successes = Object.entries(spec.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([m]) => m !== "parameters")
          .flatMap(([m, op]) => Object.keys((op as { responses: object }).responses).filter((s) => s.startsWith("2")).map((s) => `${m.toUpperCase()} ${path} ${s}`)),
      );
      for (const s of successes.filter((s) => !s.includes("ref-log.ndjson"))) expect(covered, s).toContain(s);
    });
  });
});
