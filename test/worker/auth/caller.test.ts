// Access control through the Worker's real fetch handler in token mode (worker/auth/caller.ts and the
// repository's gate): scopes, expiry, revocation, visibility, the 404 that hides private repositories,
// actors in the log, rate limiting, and storage left exactly as it was after every refusal.
import { listDurableObjectIds } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../../bench/harness/in-repo";
import { HEAD } from "../../fixtures/packs";
import { receivePackRequest, stored, ZERO } from "../../support/workerd/push";
import { ADMIN, bearer, mint, send, tokenEnv } from "../../support/workerd/worker";

const unique = () => `acl-${crypto.randomUUID().slice(0, 8)}`;
const basic = (token: string) => ({ Authorization: `Basic ${btoa(`git:${token}`)}` });
const create = (name: string) => [`${ZERO} ${HEAD} refs/heads/main`];

async function pushAs(name: string, headers: HeadersInit, vars = tokenEnv()): Promise<Response> {
  return send(receivePackRequest(`o/${name}`, create(name), undefined, "report-status", headers), vars);
}

async function text(res: Response): Promise<string> {
  return new TextDecoder().decode(await res.arrayBuffer());
}

describe("access control", () => {
  it("asks for credentials (401, WWW-Authenticate) before a push, and stores nothing", async () => {
    const name = unique();
    const res = await pushAs(name, {});
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
    expect(await text(res)).toMatch(/^authentication required: o\/\S+ needs a token with write access/);
    expect(await stored(`o/${name}`)).toEqual({ refs: {}, packs: 0, objects: 0, chunks: 0, events: 0, settings: 0 });
  });

  it("lets a read token clone but not push, with a message git shows", async () => {
    const name = unique();
    const writer = await mint({ name: "writer", repos: [`o/${name}`], scopes: ["write"] });
    const reader = await mint({ name: "reader", repos: ["o/*"], scopes: ["read"] });
    expect((await pushAs(name, basic(writer.token))).status).toBe(200);
    const before = await stored(`o/${name}`);
    const refused = await send(receivePackRequest(`o/${name}`, [`${HEAD} ${ZERO} refs/heads/main`], new Uint8Array(0), "report-status", basic(reader.token)));
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await text(refused)).toMatch(new RegExp(`^this token cannot write to o/${name}\nrequest id: [0-9a-f-]{36}\n$`));
    expect(refused.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await stored(`o/${name}`)).toEqual(before);
    const advertised = await send(new Request(`http://x/o/${name}.git/info/refs?service=git-upload-pack`, { headers: basic(reader.token) }));
    expect(advertised.status).toBe(200);
    expect(await text(advertised)).toContain(HEAD);
  });

  it("names the token in the ref log, and filters by its name or id", async () => {
    const name = unique();
    const writer = await mint({ name: "ci-bot", repos: [`o/${name}`], scopes: ["write"] });
    await pushAs(name, basic(writer.token));
    const log = (await (await send(new Request(`http://x/api/repos/o/${name}/ref-log?actor=${writer.id}`, bearer(writer.token)))).json()) as { events: { actor: string; actorId: string }[] };
    expect(log.events).toMatchObject([{ actor: "ci-bot", actorId: writer.id }]);
    const byName = (await (await send(new Request(`http://x/api/repos/o/${name}/ref-log?actor=ci-bot`, bearer(writer.token)))).json()) as { events: unknown[] };
    expect(byName.events).toHaveLength(1);
  });

  it("hides a private repository: 404 without a token or with one for other repositories, as for a missing one", async () => {
    const name = unique();
    const writer = await mint({ repos: [`o/${name}`], scopes: ["write"] });
    const other = await mint({ repos: ["someone/*"], scopes: ["admin"] });
    await pushAs(name, basic(writer.token));
    for (const route of ["ref-log", "storage", "refs", ""]) {
      const anonymous = await send(new Request(`http://x/api/repos/o/${name}/${route}`));
      const missing = await send(new Request(`http://x/api/repos/o/${unique()}/${route}`));
      const foreign = await send(new Request(`http://x/api/repos/o/${name}/${route}`, bearer(other.token)));
      for (const res of [anonymous, missing, foreign]) {
        expect(res.status, route).toBe(404);
        expect(await res.json()).toEqual({ error: "repository not found" });
      }
    }
    const clone = await send(new Request(`http://x/o/${name}.git/info/refs?service=git-upload-pack`, { headers: basic(other.token) }));
    expect(clone.status).toBe(404);
  });

  it("serves a public repository to anyone, and writes still need a token", async () => {
    const name = unique();
    await pushAs(name, basic(ADMIN));
    const patch = await send(new Request(`http://x/api/repos/o/${name}`, bearer(ADMIN, { method: "PATCH", body: JSON.stringify({ visibility: "public" }) })));
    expect(patch.status).toBe(200);
    expect((await send(new Request(`http://x/o/${name}.git/info/refs?service=git-upload-pack`))).status).toBe(200);
    expect((await send(new Request(`http://x/api/repos/o/${name}/ref-log`))).status).toBe(200);
    expect((await send(new Request(`http://x/api/repos/o/${name}/housekeeping`, { method: "POST" }))).status).toBe(401);
  });

  it("refuses an expired token and a revoked one at once", async () => {
    const name = unique();
    const expiring = await mint({ repos: ["o/*"], scopes: ["write"], expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await pushAs(name, basic(expiring.token))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await pushAs(unique(), basic(expiring.token));
    expect(expired.status).toBe(401);
    expect(await text(expired)).toMatch(/wrong, expired or revoked/);

    const revoked = await mint({ repos: ["o/*"], scopes: ["write"] });
    expect((await send(new Request(`http://x/api/tokens/${revoked.id}`, bearer(ADMIN, { method: "DELETE" })))).status).toBe(204);
    expect((await pushAs(unique(), basic(revoked.token))).status).toBe(401);
  });

  it("limits failed attempts per address: 429 with Retry-After, even for a right secret, then lets it in again", async () => {
    const vars = tokenEnv({ AUTH_FAILURE_LIMIT: "3", AUTH_FAILURE_WINDOW_SECONDS: "2" });
    const from = { "CF-Connecting-IP": `10.0.0.${Math.floor(Math.random() * 250)}` };
    const attempt = (secret: string) => send(new Request("http://x/api/tokens", { headers: { ...from, Authorization: `Bearer ${secret}` } }), vars);
    for (let i = 0; i < 3; i++) expect((await attempt("guess")).status).toBe(401);
    const limited = await attempt(ADMIN);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await send(new Request("http://x/api/tokens", bearer(ADMIN)), vars)).status).toBe(200); // another address
    await new Promise((r) => setTimeout(r, 2100));
    expect((await attempt(ADMIN)).status).toBe(200);
  });

  it("refuses every write with a clear message when ADMIN_TOKEN is not set, and keeps reads", async () => {
    const name = unique();
    const token = await mint({ repos: ["o/*"], scopes: ["write"] });
    const locked = tokenEnv({ ADMIN_TOKEN: undefined });
    const res = await pushAs(name, basic(token.token), locked);
    expect(res.status).toBe(403);
    expect(await text(res)).toMatch(/no ADMIN_TOKEN secret is set/);
    const minting = await send(new Request("http://x/api/tokens", bearer(token.token, { method: "POST", body: "{}" })), locked);
    expect(minting.status).toBe(403);
    expect(await stored(`o/${name}`)).toMatchObject({ refs: {}, packs: 0, events: 0 });
  });

  it("runs open in open mode: anyone pushes, the log says anonymous", async () => {
    const name = unique();
    expect((await pushAs(name, {}, tokenEnv({ AUTH_MODE: "open" }))).status).toBe(200);
    expect((await stored(`o/${name}`)).events).toBe(1);
  });
});

describe("pushes to unknown repositories", () => {
  it("are refused before any repository object exists when the caller may not create it", async () => {
    const before = (await listDurableObjectIds(testEnv.REPO)).length;
    const reader = await mint({ repos: ["o/*"], scopes: ["read"] });
    const anonymous = await send(new Request(`http://x/o/${unique()}.git/info/refs?service=git-receive-pack`));
    expect(anonymous.status).toBe(401);
    const readOnly = await send(new Request(`http://x/o/${unique()}.git/info/refs?service=git-receive-pack`, { headers: basic(reader.token) }));
    expect(readOnly.status).toBe(403);
    expect((await listDurableObjectIds(testEnv.REPO)).length).toBe(before);
  });
});
