// Repositories as a resource through the Worker's real fetch handler in token mode: who may create,
// list, delete and undelete; a deleted repository hidden from git and the API and its name kept
// until the purge; the purge deleting the Durable Object's rows and the R2 objects (archived packs
// and Git LFS objects) after the retention, and the registry's log of it all.
import { describe, expect, it } from "vitest";
import { HEAD } from "../../fixtures/packs";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";
import { archiveRepository } from "../../../worker/archive/archive-repo";
import { purgeDeleted } from "../../../worker/repos/purge";
import { resumeDeliveries } from "../../../worker/hooks/resume";
import { setLogSink } from "../../../durable/observe/log";
import { lfsKey } from "../../../durable/lfs/objects";
import { r2Keys } from "../../support/workerd/archive";
import { receivePackRequest, stored, ZERO } from "../../support/workerd/push";
import { ADMIN, bearer, mint, send } from "../../support/workerd/worker";

const DAY = 86_400_000;
const unique = () => `r${crypto.randomUUID().slice(0, 8)}`;
const json = (method: string, body?: unknown): RequestInit => ({ method, body: body === undefined ? undefined : JSON.stringify(body) });

async function call(path: string, init: RequestInit = {}, token: string | null = ADMIN): Promise<{ status: number; body: any }> {
  const res = await send(new Request(`http://x${path}`, token === null ? init : bearer(token, init)));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function push(name: string, token = ADMIN): Promise<string> {
  const res = await send(new Request(receivePackRequest(name, [`${ZERO} ${HEAD} refs/heads/main`], undefined, "report-status"), bearer(token)));
  return new TextDecoder().decode(await res.arrayBuffer());
}

describe("repositories as a resource", () => {
  it("creates a repository with its settings, and refuses a taken name with 409", async () => {
    const name = unique();
    const created = await call("/api/repos", json("POST", { owner: "team", name, visibility: "public", description: "Docs", defaultBranch: "trunk" }));
    expect(created).toMatchObject({ status: 201, body: { name: `team/${name}`, visibility: "public", description: "Docs", defaultBranch: "trunk", archivedBytes: 0, lastPushAt: null } });
    expect(await call(`/api/repos/team/${name}`, {}, null)).toMatchObject({ status: 200, body: { description: "Docs", defaultBranch: "trunk", visibility: "public" } });
    const settings = await call(`/api/repos/team/${name}/settings-log`);
    expect(settings.body.events).toMatchObject([{ actor: "admin", visibility: "public", description: "Docs" }]);
    expect((await call("/api/repos", json("POST", { owner: "team", name }))).status).toBe(409);
    // Pushing to it works as to any repository, and its first branch becomes the default (trunk does not exist).
    expect(await push(`team/${name}`)).toContain("ok refs/heads/main");
    expect((await call(`/api/repos/team/${name}`)).body.defaultBranch).toBe("main");
  });

  it("lets a token create only names its patterns cover with write, and says why not", async () => {
    const writer = await mint({ repos: ["team/*"], scopes: ["write"] });
    const reader = await mint({ repos: ["team/*"], scopes: ["read"] });
    expect((await call("/api/repos", json("POST", { owner: "team", name: unique() }), writer.token)).status).toBe(201);
    const foreign = await call("/api/repos", json("POST", { owner: "other", name: unique() }), writer.token);
    expect(foreign).toMatchObject({ status: 403, body: { error: expect.stringMatching(/cannot create other\/\S+: its repository patterns do not cover it/) } });
    expect((await call("/api/repos", json("POST", { owner: "team", name: unique() }), reader.token)).status).toBe(403);
    expect((await call("/api/repos", json("POST", { owner: "team", name: unique() }), null)).status).toBe(401);
    for (const bad of [{ owner: "team" }, { owner: ".x", name: "y" }, { owner: "team", name: "a", visibility: "secret" }, { owner: "team", name: "a", defaultBranch: "a..b" }, { owner: "team", name: "a", extra: 1 }]) {
      expect((await call("/api/repos", json("POST", bad))).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("lists what the caller may read, by name, a page at a time", async () => {
    const owner = unique();
    for (const [name, visibility] of [["a", "private"], ["b", "public"], ["c", "private"], ["d", "public"]]) {
      expect((await call("/api/repos", json("POST", { owner, name, visibility }))).status).toBe(201);
    }
    const first = await call(`/api/repos?owner=${owner}&limit=3`);
    expect(first.body.repos.map((r: { name: string }) => r.name)).toEqual([`${owner}/a`, `${owner}/b`, `${owner}/c`]);
    const second = await call(`/api/repos?owner=${owner}&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ repos: [{ name: `${owner}/d` }], nextCursor: null });
    expect((await call(`/api/repos?owner=${owner}`, {}, null)).body.repos.map((r: { name: string }) => r.name)).toEqual([`${owner}/b`, `${owner}/d`]);
    const scoped = await mint({ repos: [`${owner}/c`], scopes: ["read"] });
    expect((await call(`/api/repos?owner=${owner}`, {}, scoped.token)).body.repos.map((r: { name: string }) => r.name)).toEqual([`${owner}/b`, `${owner}/c`, `${owner}/d`]);
    expect((await call("/api/repos?cursor=nope")).status).toBe(400);
    expect((await call("/api/repos?owner=a/b")).status).toBe(400);
  });

  it("a deleted repository answers 404 to git and the API, keeps its name, and comes back whole", async () => {
    const name = `team/${unique()}`;
    expect(await push(name)).toContain("ok refs/heads/main");
    const before = await stored(name);
    const reader = await mint({ repos: [name], scopes: ["read"] });
    expect((await call(`/api/repos/${name}`, json("DELETE"), reader.token)).status).toBe(403);
    const deleted = await call(`/api/repos/${name}`, json("DELETE"));
    expect(deleted).toMatchObject({ status: 200, body: { name, deletedAt: expect.any(String), purgeAt: expect.any(String) } });
    expect(Date.parse(deleted.body.purgeAt) - Date.parse(deleted.body.deletedAt)).toBe(7 * DAY);
    for (const path of [`/${name}.git/info/refs?service=git-upload-pack`, `/api/repos/${name}`, `/api/repos/${name}/refs`, `/api/repos/${name}/commits`]) {
      expect((await send(new Request(`http://x${path}`, bearer(ADMIN)))).status, path).toBe(404);
    }
    // The isolate may remember the name as existing: the repository's own object refuses it too.
    expect((await send(new Request(`http://x/${name}.git/info/refs?service=git-upload-pack`, bearer(ADMIN)))).status).toBe(404);
    const refused = await push(name);
    expect(refused).toMatch(new RegExp(`ng refs/heads/main ${name} was deleted at \\S+ and can be undeleted \\(POST /api/repos/${name}/undelete\\) until it is purged at`));
    expect((await call("/api/repos", json("POST", { owner: name.split("/")[0], name: name.split("/")[1] }))).status).toBe(409);
    expect((await call(`/api/repos?owner=team&deleted=true`)).body.repos.map((r: { name: string }) => r.name)).toContain(name);
    expect((await call(`/api/repos?owner=team&deleted=true`, {}, reader.token)).body.repos).toEqual([]);

    expect((await call(`/api/repos/${name}/undelete`, json("POST"), reader.token)).status).toBe(403);
    expect((await call(`/api/repos/${name}/undelete`, json("POST"))).status).toBe(200);
    // Undeleting again only repeats the repository's part: harmless.
    expect((await call(`/api/repos/${name}/undelete`, json("POST"))).status).toBe(200);
    expect(await stored(name)).toEqual({ ...before, settings: before.settings + 2 });
    expect((await call(`/api/repos/${name}/refs`)).body.refs).toEqual({ "refs/heads/main": HEAD });
    const log = await call(`/api/registry-log?repo=${name}&order=asc`);
    expect(log.body.events.map((e: { kind: string }) => e.kind)).toEqual(["created", "deleted", "undeleted"]);
    expect((await call(`/api/registry-log?repo=${name}`, {}, null)).status).toBe(401);
    expect((await call(`/api/registry-log?repo=${name}`, {}, reader.token)).body.events).toEqual([]);
    const settings = await call(`/api/repos/${name}/settings-log?order=asc`);
    expect(settings.body.events.map((e: { deleted?: boolean }) => e.deleted)).toEqual([true, false]);
  });

  it("purges after the retention: the object's rows, archived packs and LFS objects go, and the name is free", { timeout: 30_000 }, async () => {
    const name = `team/${unique()}`;
    expect(await push(name)).toContain("ok refs/heads/main");
    await archiveRepository({ ...testEnv, STORAGE_LIMIT_BYTES: "1" } as typeof testEnv, name);
    expect((await r2Keys(name)).length).toBeGreaterThan(0);
    await testEnv.LFS.put(lfsKey(name, "a".repeat(64)), "lfs bytes");
    expect((await call(`/api/repos/${name}`, json("DELETE"))).status).toBe(200);

    // Within the retention, nothing is purged.
    expect(await purgeDeleted(testEnv, Date.now() + DAY)).not.toContain(name);
    expect((await r2Keys(name)).length).toBeGreaterThan(0);
    expect(await purgeDeleted(testEnv, Date.now() + 8 * DAY)).toContain(name);
    expect(await r2Keys(name)).toEqual([]);
    expect((await testEnv.LFS.list({ prefix: lfsKey(name, "") })).objects).toEqual([]);
    const rows = await inRepo((repo) => {
      const tables = repo.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").toArray();
      return tables.reduce((n, t) => n + repo.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM "${t.name}"`).one().n, 0);
    }, name);
    expect(rows).toBe(0);
    const log = await call(`/api/registry-log?repo=${name}&order=asc`);
    expect(log.body.events.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([["created", "admin"], ["deleted", "admin"], ["purged", "retention"]]);
    // The name is free: a push creates a new, empty-before repository.
    expect(await push(name)).toContain("ok refs/heads/main");
    expect((await stored(name)).events).toBe(1);
  });

  it("webhooks are for admins, and never show their secret", async () => {
    const name = `team/${unique()}`;
    expect(await push(name)).toContain("ok refs/heads/main");
    const reader = await mint({ repos: [name], scopes: ["write"] });
    expect((await call(`/api/repos/${name}/hooks`, {}, reader.token)).status).toBe(403);
    expect((await call(`/api/repos/${name}/hooks`, {}, null)).status).toBe(401);
    const created = await call(`/api/repos/${name}/hooks`, json("POST", { url: "https://example.com/h", secret: "hush", events: ["push"] }));
    expect(created.status).toBe(201);
    expect(JSON.stringify(await call(`/api/repos/${name}/hooks`))).not.toContain("hush");
    // The registry learns that the repository has a hook, so the scheduled job resumes its deliveries.
    const registry = testEnv.REGISTRY.get(testEnv.REGISTRY.idFromName("registry"));
    for (let i = 0; i < 50 && !(await registry.withHooks()).includes(name); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await registry.withHooks()).toContain(name);
    const lines: Record<string, unknown>[] = [];
    setLogSink((_level, line) => lines.push(JSON.parse(line)));
    await resumeDeliveries(testEnv);
    setLogSink(null);
    expect(lines.find((l) => l.op === "webhook-resume")).toMatchObject({ outcome: "ok", actor: "cron", objectsOut: expect.any(Number) });
    // (Private addresses are refused in token mode: the end-to-end suite checks it, as the objects here run in open mode.)
    const patched = await call(`/api/repos/${name}/hooks/${created.body.id}`, json("PATCH", { url: "ftp://example.com/h" }));
    expect(patched).toMatchObject({ status: 400, body: { error: "invalid parameter 'url'" } });
    expect((await call(`/api/repos/${name}/hooks/${created.body.id}`, json("PATCH", { events: ["nope"] }))).status).toBe(400);
    expect((await call(`/api/repos/${name}/hooks/nope`)).status).toBe(404);
  });
});
