// Git LFS locking through the Worker in token mode (durable/lfs/locks.ts and handle.ts): one lock per
// path, listings with filters and cursors, verify split into ours and theirs, unlock rules, and the
// lock log of the audit API.
import { describe, expect, it } from "vitest";
import { ADMIN, bearer, mint, send } from "../../support/workerd/worker";
import { lfsCall, lfsObject, repoName, upload } from "../../support/workerd/lfs";

async function setup() {
  const repo = repoName();
  await upload(repo, ADMIN, await lfsObject("creates the repository"));
  const alice = await mint({ name: "alice", repos: [repo], scopes: ["write"] });
  const bob = await mint({ name: "bob", repos: [repo], scopes: ["write"] });
  const reader = await mint({ name: "reader", repos: [repo], scopes: ["read"] });
  const post = (token: string, path: string, body: unknown) => lfsCall(repo, path, token, { method: "POST", body: JSON.stringify(body) });
  return { repo, alice: alice.token, bob: bob.token, reader: reader.token, post };
}

describe("locks", () => {
  it("are exclusive per path: a second lock is 409 with the one that holds it", async () => {
    const { alice, bob, reader, post } = await setup();
    const made = await post(alice, "locks", { path: "art/logo.psd", ref: { name: "refs/heads/main" } });
    expect(made.status).toBe(201);
    expect(made.body.lock).toMatchObject({ path: "art/logo.psd", owner: { name: "alice" } });
    expect(made.body.lock.id).toMatch(/^\d+$/);
    expect(made.body.lock.locked_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const clash = await post(bob, "locks", { path: "art/logo.psd" });
    expect(clash.status).toBe(409);
    expect(clash.body.lock).toEqual(made.body.lock);
    expect(clash.body.message).toBe("art/logo.psd is already locked by alice");
    expect((await post(reader, "locks", { path: "art/other.psd" })).status).toBe(403);
    for (const path of ["", "/abs", "a/../b", "a//b"]) expect((await post(alice, "locks", { path })).status).toBe(422);
  });

  it("list with path, id, limit and cursor; reading needs read access", async () => {
    const { repo, alice, reader, post } = await setup();
    const ids: string[] = [];
    for (const path of ["a.bin", "b.bin", "c.bin"]) ids.push((await post(alice, "locks", { path })).body.lock.id);
    const list = (query: string) => lfsCall(repo, `locks${query}`, reader);
    const first = await list("?limit=2");
    expect(first.body.locks.map((l: { path: string }) => l.path)).toEqual(["a.bin", "b.bin"]);
    const rest = await list(`?limit=2&cursor=${first.body.next_cursor}`);
    expect(rest.body).toEqual({ locks: [expect.objectContaining({ path: "c.bin" })] });
    expect((await list("?path=b.bin")).body.locks.map((l: { id: string }) => l.id)).toEqual([ids[1]]);
    expect((await list(`?id=${ids[2]}&refspec=refs/heads/main`)).body.locks).toHaveLength(1);
    expect((await list("?limit=0")).status).toBe(400);
    expect((await list("?cursor=zzz")).status).toBe(400);
    expect((await lfsCall(repo, "locks", null)).status).toBe(401);
  });

  it("verify splits ours from theirs, and needs write access", async () => {
    const { alice, bob, reader, post } = await setup();
    await post(alice, "locks", { path: "mine.bin" });
    await post(bob, "locks", { path: "yours.bin" });
    const verify = await post(alice, "locks/verify", { ref: { name: "refs/heads/main" } });
    expect(verify.status).toBe(200);
    expect(verify.body.ours.map((l: { path: string }) => l.path)).toEqual(["mine.bin"]);
    expect(verify.body.theirs.map((l: { path: string }) => l.path)).toEqual(["yours.bin"]);
    expect((await post(reader, "locks/verify", {})).status).toBe(403);
  });

  it("unlock: the owner may, someone else needs force and admin access", async () => {
    const { repo, alice, bob, post } = await setup();
    const mine = (await post(alice, "locks", { path: "mine.bin" })).body.lock;
    const theirs = (await post(bob, "locks", { path: "theirs.bin" })).body.lock;
    const refused = await post(alice, `locks/${theirs.id}/unlock`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/locked by bob; only they can unlock it, or an admin with --force/);
    expect((await post(alice, `locks/${theirs.id}/unlock`, { force: true })).body.message).toMatch(/needs a token with admin access/);
    expect((await post(alice, `locks/${mine.id}/unlock`, { force: false })).body).toEqual({ lock: mine });
    expect((await post(ADMIN, `locks/${theirs.id}/unlock`, { force: true })).status).toBe(200);
    expect((await post(alice, `locks/${theirs.id}/unlock`, {})).status).toBe(404);
    expect((await lfsCall(repo, "locks", alice)).body.locks).toEqual([]);

    const log = (await (await send(new Request(`http://x/api/repos/${repo}/lock-log?order=asc`, bearer(ADMIN)))).json()) as { events: { kind: string; path: string; owner: string; actor: string; lockId: string }[] };
    expect(log.events.map((e) => [e.kind, e.path, e.owner, e.actor])).toEqual([
      ["lock", "mine.bin", "alice", "alice"],
      ["lock", "theirs.bin", "bob", "bob"],
      ["unlock", "mine.bin", "alice", "alice"],
      ["force-unlock", "theirs.bin", "bob", "admin"],
    ]);
    expect(log.events[3].lockId).toBe(theirs.id);
  });
});
