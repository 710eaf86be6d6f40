// The token API (worker/auth/tokens-api.ts): the secret shown once, bodies checked field by field,
// and a token with the admin scope managing only the tokens its patterns cover.
import { describe, expect, it } from "vitest";
import { ADMIN, bearer, mint, send } from "../../support/workerd/worker";

const post = (secret: string, body: unknown) => send(new Request("http://x/api/tokens", bearer(secret, { method: "POST", body: JSON.stringify(body) })));

describe("POST /api/tokens", () => {
  it("answers 201 with the secret once; the list never shows it", async () => {
    const res = await post(ADMIN, { name: "deploy", repos: ["alice/site"], scopes: ["read", "write"] });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; token: string };
    expect(body).toMatchObject({ name: "deploy", repos: ["alice/site"], scopes: ["read", "write"], expiresAt: null });
    expect(body.token).toMatch(/^gow_[0-9a-f]{16}_[0-9a-f]{40}$/);
    const list = await (await send(new Request("http://x/api/tokens", bearer(ADMIN)))).text();
    expect(list).toContain(body.id);
    expect(list).not.toContain(body.token.slice(-40));
  });

  const bad: [string, unknown, string][] = [
    ["no name", { repos: ["a/*"], scopes: ["read"] }, "invalid parameter 'name'"],
    ["no repos", { name: "x", repos: [], scopes: ["read"] }, "invalid parameter 'repos'"],
    ["a bad pattern", { name: "x", repos: ["a/b/c"], scopes: ["read"] }, "invalid parameter 'repos'"],
    ["an unknown scope", { name: "x", repos: ["a/*"], scopes: ["root"] }, "invalid parameter 'scopes'"],
    ["a past expiry", { name: "x", repos: ["a/*"], scopes: ["read"], expiresAt: "2001-01-01" }, "invalid parameter 'expiresAt'"],
    ["an unknown field", { name: "x", repos: ["a/*"], scopes: ["read"], owner: "me" }, "invalid parameter 'owner'"],
  ];
  for (const [what, body, error] of bad) {
    it(`answers 400 for ${what}`, async () => {
      const res = await post(ADMIN, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe(error);
    });
  }

  it("asks for credentials without a token, and refuses tokens without the admin scope", async () => {
    expect((await send(new Request("http://x/api/tokens", { method: "POST", body: "{}" }))).status).toBe(401);
    const writer = await mint({ repos: ["alice/*"], scopes: ["write"] });
    const res = await post(writer.token, { name: "x", repos: ["alice/a"], scopes: ["read"] });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/needs the admin scope/);
  });
});

describe("a token with the admin scope", () => {
  it("mints, lists and revokes only within its own patterns", async () => {
    const owner = `team${crypto.randomUUID().slice(0, 6)}`;
    const lead = await mint({ name: "lead", repos: [`${owner}/*`], scopes: ["admin"] });
    const inside = await post(lead.token, { name: "ci", repos: [`${owner}/api`], scopes: ["write"] });
    expect(inside.status).toBe(201);
    const outside = await post(lead.token, { name: "ci", repos: ["elsewhere/api"], scopes: ["write"] });
    expect(outside.status).toBe(403);
    const foreign = await mint({ repos: ["elsewhere/*"], scopes: ["read"] });
    const listed = (await (await send(new Request("http://x/api/tokens", bearer(lead.token)))).json()) as { tokens: { id: string }[] };
    const ids = listed.tokens.map((t) => t.id);
    expect(ids).toContain(((await inside.json()) as { id: string }).id);
    expect(ids).not.toContain(foreign.id);
    expect((await send(new Request(`http://x/api/tokens/${foreign.id}`, bearer(lead.token, { method: "DELETE" })))).status).toBe(404);
    expect((await send(new Request(`http://x/api/tokens/${foreign.id}`, bearer(ADMIN, { method: "DELETE" })))).status).toBe(204);
  });
});
