// POST refs/restore: after a force-push and after a delete (with real commits stored), back to
// before a ref existed, the no-op, the compare-and-swap, and the refusals (409 and 400).
import { describe, expect, it } from "vitest";
import type { Repository } from "../../../durable/repository";
import { api, oid, ok, postJson, seed, storeFixturePack, Z } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";

const restore = (repo: Repository, body: unknown, actor = "admin") => api(repo, "refs/restore", postJson(body, actor));

describe("POST refs/restore", () => {
  it("puts a force-pushed branch back, as one restore event by the caller", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const [c6, , c4, , c2] = commits;
      const [, updated] = seed(repo, { ref: "refs/heads/main", to: c2! }, { ref: "refs/heads/main", to: c4! }, { ref: "refs/heads/main", to: c6!, kind: "force" });
      const res = await restore(repo, { ref: "refs/heads/main", seq: updated!.seq });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ ref: "refs/heads/main", oid: c4, event: { seq: 4, ref: "refs/heads/main", oldOid: c6, newOid: c4, kind: "restore", actor: "admin" } });
      expect(repo.refs.get("refs/heads/main")).toBe(c4);
      expect((await ok(repo, "ref-log?limit=1")).events[0]).toEqual(res.body.event);
      expect(await ok(repo, "ref-log/verify")).toEqual({ ok: true, events: 4 });
      const push = await ok(repo, `pushes/${res.body.event.pushId}`);
      expect(push).toMatchObject({ actor: "admin", pack: null, options: [], events: [res.body.event] });
    });
  });

  it("brings a deleted branch back, and HEAD with it", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const [created] = seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/heads/main", to: Z });
      repo.refs.repointHead([]);
      const res = await restore(repo, { ref: "refs/heads/main", seq: created!.seq });
      expect(res.status).toBe(201);
      expect(res.body.event).toMatchObject({ oldOid: Z, newOid: commits[0], kind: "restore" });
      expect(await ok(repo, "refs")).toEqual({ seq: 3, head: "refs/heads/main", refs: { "refs/heads/main": commits[0] } });
    });
  });

  it("deletes a ref that did not exist yet at that seq", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/tags/later", to: commits[1]! });
      const res = await restore(repo, { ref: "refs/tags/later", seq: 1 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ oid: Z, event: { oldOid: commits[1], newOid: Z, kind: "restore" } });
      expect(repo.refs.get("refs/tags/later")).toBeNull();
    });
  });

  it("leaves a ref that is already at that value alone: 200, no event", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/heads/dev", to: commits[1]! });
      for (const body of [{ ref: "refs/heads/main", seq: 2 }, { ref: "refs/heads/never", seq: 2 }]) {
        const res = await restore(repo, body);
        expect(res.status).toBe(200);
        expect(res.body.event).toBeNull();
      }
      expect(repo.refs.lastSeq()).toBe(2);
    });
  });

  it("refuses with 409 when the target commit is no longer stored", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: oid(0xdead) }, { ref: "refs/heads/main", to: commits[0]!, kind: "force" });
      const res = await restore(repo, { ref: "refs/heads/main", seq: 1 });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: "target object is no longer stored", detail: { ref: "refs/heads/main", seq: 1, oid: oid(0xdead) } });
      expect(repo.refs.get("refs/heads/main")).toBe(commits[0]);
      expect(repo.refs.lastSeq()).toBe(2);
    });
  });

  it("compare-and-swaps against oldOid when it is given", async () => {
    await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[1]! }, { ref: "refs/heads/main", to: commits[0]! });
      const moved = await restore(repo, { ref: "refs/heads/main", seq: 1, oldOid: commits[1] });
      expect(moved.status).toBe(409);
      expect(moved.body).toMatchObject({ error: "ref moved", detail: { expected: commits[1], current: commits[0] } });
      expect((await restore(repo, { ref: "refs/heads/main", seq: 1, oldOid: commits[0] })).status).toBe(201);
      expect(repo.refs.get("refs/heads/main")).toBe(commits[1]);
    });
  });

  const bad: [string, unknown, string][] = [
    ["a bad ref name", { ref: "refs/heads/a..b", seq: 1 }, "invalid parameter 'ref'"],
    ["a short ref name", { ref: "main", seq: 1 }, "invalid parameter 'ref'"],
    ["no ref", { seq: 1 }, "invalid parameter 'ref'"],
    ["an unknown seq", { ref: "refs/heads/main", seq: 99 }, "invalid parameter 'seq'"],
    ["seq 0", { ref: "refs/heads/main", seq: 0 }, "invalid parameter 'seq'"],
    ["a negative seq", { ref: "refs/heads/main", seq: -1 }, "invalid parameter 'seq'"],
    ["a fractional seq", { ref: "refs/heads/main", seq: 1.5 }, "invalid parameter 'seq'"],
    ["a seq as a string", { ref: "refs/heads/main", seq: "1" }, "invalid parameter 'seq'"],
    ["a bad oldOid", { ref: "refs/heads/main", seq: 1, oldOid: "abc" }, "invalid parameter 'oldOid'"],
    ["an unknown field", { ref: "refs/heads/main", seq: 1, frce: true }, "invalid parameter 'frce'"],
    ["a force that is not a boolean", { ref: "refs/heads/main", seq: 1, force: "yes" }, "invalid parameter 'force'"],
    ["malformed JSON", "{ref:", "malformed JSON body"],
    ["an empty body", "", "malformed JSON body"],
    ["a JSON array", [1], "malformed JSON body"],
  ];
  for (const [what, body, error] of bad) {
    it(`answers 400 for ${what}`, async () => {
      await inRepo(async (repo) => {
        seed(repo, { ref: "refs/heads/main", to: oid(1) });
        const res = await restore(repo, body);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe(error);
        expect(repo.refs.lastSeq()).toBe(1);
      });
    });
  }

  it("answers 413 for a body over 64 KiB", async () => {
    await inRepo(async (repo) => {
      seed(repo, { ref: "refs/heads/main", to: oid(1) });
      const res = await restore(repo, { ref: "refs/heads/main", seq: 1, pad: "x".repeat(70_000) });
      expect(res.status).toBe(413);
    });
  });
});
