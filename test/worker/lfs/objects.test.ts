// Git LFS objects through the Worker in token mode: the batch API's answers, uploads verified against
// their oid before anything is kept, downloads with Range and ETag, the verify action, the storage
// figures, and who may do what.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, bearer, mint, send, tokenEnv } from "../../support/workerd/worker";
import { batch, download, lfsCall, lfsObject, repoName, upload } from "../../support/workerd/lfs";
import type { Env } from "../../../worker/env";

const bucket = () => (env as unknown as Env).LFS;

describe("the batch API", () => {
  it("answers an upload with upload and verify actions that carry the caller's credentials, and skips what is stored", async () => {
    const repo = repoName();
    const a = await lfsObject("first object");
    const res = await batch(repo, ADMIN, "upload", [{ oid: a.oid, size: a.size }]);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.git-lfs+json");
    expect(res.body).toMatchObject({ transfer: "basic", hash_algo: "sha256" });
    const [entry] = res.body.objects;
    expect(entry.actions.upload).toEqual({ href: `http://x/${repo}.git/info/lfs/objects/${a.oid}`, header: { Authorization: `Bearer ${ADMIN}` }, expires_in: 3600 });
    expect(entry.actions.verify.href).toBe(`http://x/${repo}.git/info/lfs/verify`);
    expect((await upload(repo, ADMIN, a)).status).toBe(200);
    const again = await batch(repo, ADMIN, "upload", [{ oid: a.oid, size: a.size }]);
    expect(again.body.objects[0]).toEqual({ oid: a.oid, size: a.size, authenticated: true });
  });

  it("gives each object its own error: 404 missing, 422 malformed or too large", async () => {
    const repo = repoName();
    const a = await lfsObject("stored");
    await upload(repo, ADMIN, a);
    const missing = await lfsObject("never uploaded");
    const res = await batch(repo, ADMIN, "download", [{ oid: a.oid, size: a.size }, { oid: missing.oid, size: missing.size }, { oid: "nothex", size: 1 }]);
    expect(res.status).toBe(200);
    const [found, absent, bad] = res.body.objects;
    expect(found.actions.download.href).toBe(`http://x/${repo}.git/info/lfs/objects/${a.oid}`);
    expect(absent.error).toMatchObject({ code: 404 });
    expect(bad.error).toMatchObject({ code: 422 });
    const big = await batch(repo, ADMIN, "upload", [{ oid: missing.oid, size: 6 * 1024 ** 3 }]);
    expect(big.body.objects[0].error.code).toBe(422);
    expect(big.body.objects[0].error.message).toMatch(/is 6144 MiB, over this server's limit of 5120 MiB/);
  });

  it("refuses a malformed batch as a whole, with a message", async () => {
    const repo = repoName();
    await upload(repo, ADMIN, await lfsObject("x"));
    const res = await lfsCall(repo, "objects/batch", ADMIN, { method: "POST", body: JSON.stringify({ operation: "move", objects: [] }) });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/operation must be "download" or "upload"/);
    expect((await lfsCall(repo, "objects/batch", ADMIN, { method: "POST", body: "{" })).status).toBe(400);
  });
});

describe("uploads", () => {
  it("keep nothing when the bytes do not hash to the oid", async () => {
    const repo = repoName();
    const a = await lfsObject("the real bytes");
    const forged = { oid: a.oid, bytes: new TextEncoder().encode("other bytes!!!") };
    const res = await upload(repo, ADMIN, forged);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/do not hash to .*nothing was stored/);
    expect(await bucket().head(`lfs/${repo}/${a.oid}`)).toBeNull();
  });

  it("refuse an object over MAX_LFS_OBJECT_BYTES with 413 before reading it", async () => {
    const repo = repoName();
    const a = await lfsObject("eleven bytes");
    const res = await upload(repo, ADMIN, a, tokenEnv({ MAX_LFS_OBJECT_BYTES: "10" }));
    expect(res.status).toBe(413);
    expect(await bucket().head(`lfs/${repo}/${a.oid}`)).toBeNull();
  });
});

describe("downloads", () => {
  it("stream the bytes, one Range, and 304 for the oid's ETag", async () => {
    const repo = repoName();
    const a = await lfsObject("0123456789abcdef");
    await upload(repo, ADMIN, a);
    const whole = await download(repo, ADMIN, a.oid);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("ETag")).toBe(`"${a.oid}"`);
    expect(await whole.text()).toBe("0123456789abcdef");
    const part = await download(repo, ADMIN, a.oid, { Range: "bytes=10-" });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe("bytes 10-15/16");
    expect(await part.text()).toBe("abcdef");
    expect((await download(repo, ADMIN, a.oid, { Range: "bytes=99-" })).status).toBe(416);
    expect((await download(repo, ADMIN, a.oid, { "If-None-Match": `"${a.oid}"` })).status).toBe(304);
    const missing = await download(repo, ADMIN, "b".repeat(64));
    expect(missing.status).toBe(404);
  });
});

describe("the verify action", () => {
  it("says whether the upload arrived, and heals an object whose row was not written", async () => {
    const repo = repoName();
    const a = await lfsObject("verified");
    await upload(repo, ADMIN, a);
    const verify = (o: { oid: string; size: number }) => lfsCall(repo, "verify", ADMIN, { method: "POST", body: JSON.stringify(o) });
    expect((await verify(a)).status).toBe(200);
    expect((await verify({ oid: a.oid, size: a.size + 1 })).status).toBe(422);
    const lost = await lfsObject("bytes in R2, no row");
    expect((await verify(lost)).status).toBe(404);
    await bucket().put(`lfs/${repo}/${lost.oid}`, lost.bytes);
    expect((await verify(lost)).status).toBe(200);
    expect((await batch(repo, ADMIN, "download", [lost])).body.objects[0].actions.download).toBeDefined();
  });
});

describe("GET storage", () => {
  it("counts LFS bytes and objects beside the packs", async () => {
    const repo = repoName();
    for (const text of ["one", "three"]) await upload(repo, ADMIN, await lfsObject(text));
    const res = await send(new Request(`http://x/api/repos/${repo}/storage`, bearer(ADMIN)));
    expect(((await res.json()) as { lfs: unknown }).lfs).toEqual({ bytes: 8, objects: 2 });
  });
});

describe("access", () => {
  it("follows the token's scopes and the repository's visibility", async () => {
    const repo = repoName();
    const a = await lfsObject("guarded");
    const writer = await mint({ repos: [repo], scopes: ["write"] });
    const reader = await mint({ repos: [repo], scopes: ["read"] });
    const stranger = await mint({ repos: ["elsewhere/*"], scopes: ["write"] });
    expect((await upload(repo, null, a)).status).toBe(401);
    expect((await upload(repo, reader.token, a)).status).toBe(403);
    expect((await batch(repo, reader.token, "upload", [a])).status).toBe(403);
    expect((await upload(repo, writer.token, a)).status).toBe(200);
    expect((await download(repo, reader.token, a.oid)).status).toBe(200);
    // Private: no credentials asks for them (so git-lfs asks its helper), a foreign token sees nothing.
    const anonymous = await batch(repo, null, "download", [a]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("WWW-Authenticate")).toMatch(/^Basic/);
    expect((await download(repo, null, a.oid)).status).toBe(401);
    expect((await batch(repo, stranger.token, "download", [a])).status).toBe(404);
    expect((await download(repo, stranger.token, a.oid)).status).toBe(404);
    await send(new Request(`http://x/api/repos/${repo}`, bearer(ADMIN, { method: "PATCH", body: JSON.stringify({ visibility: "public" }) })));
    expect((await download(repo, null, a.oid)).status).toBe(200);
    expect((await batch(repo, null, "download", [a])).status).toBe(200);
    expect((await batch(repo, null, "upload", [a])).status).toBe(401);
  });

  it("answers 404 for a repository nobody created", async () => {
    const res = await download(repoName(), ADMIN, "c".repeat(64));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toBe("repository not found");
  });
});
