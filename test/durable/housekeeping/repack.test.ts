// Housekeeping's repack (durable/housekeeping/repack.ts) inside workerd: the stored packs become one
// pack of exactly the reachable objects and one of the rest, nothing stored is lost, and data it
// cannot read is recorded, not thrown on every run.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dropRetired, repack, RETIRED_GRACE_MS } from "../../../durable/housekeeping/repack";
import { objectId } from "../../../durable/pack/object-id";
import { metaSet } from "../../../durable/store/meta";
import { cruftPack, wholeReuseAllowed } from "../../../durable/store/whole-reuse";
import { ObjectWalk } from "../../../durable/walk/enumerate";
import { OBJECT_COUNT } from "../../fixtures/packs";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { ingestPack } from "../../../durable/store/ingest";
import { commit, pack } from "../../support/hand-pack";
import { api, restoredRepo, seed, storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";
import { packLimits } from "../../support/pack-limits";

describe("repack", () => {
  it("splits the packs into the reachable objects and the rest; full clones may send the first whole again", async () => {
    await inRepo(async (repo) => {
      const { packId, commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/heads/main", to: commits[2]!, kind: "force" });
      expect(wholeReuseAllowed(repo.sql)).toBe(false);
      const stored = repo.sql.exec<{ oid: string }>("SELECT oid FROM objects WHERE pack_id = ?", packId).toArray().map((r) => r.oid);
      expect(stored).toHaveLength(OBJECT_COUNT);

      const report = await repack(repo, undefined, 1000);
      const walk = new ObjectWalk(repo.store);
      await walk.selectCommits([commits[2]!], []);
      await walk.collectObjects();
      expect(report).toMatchObject({ repacked: true, packsBefore: 1, reachable: walk.sending.count, unreachable: OBJECT_COUNT - walk.sending.count });
      expect(report.unreachable).toBeGreaterThan(0);
      expect(wholeReuseAllowed(repo.sql)).toBe(true);

      const live = repo.packs.all().filter((p) => p.state === "live");
      expect(live.map((p) => p.objects)).toEqual([report.reachable, report.unreachable]);
      const [reachablePack, cruft] = live.map((p) => p.id);
      expect(cruftPack(repo.sql)).toBe(cruft);
      // The reachable pack can be sent on its own: every delta in it is on an object it holds.
      const outside = "SELECT count(*) AS n FROM objects o WHERE o.pack_id = ? AND o.base_oid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects b WHERE b.pack_id = o.pack_id AND b.oid = o.base_oid)";
      expect(repo.sql.exec(outside, reachablePack).one().n).toBe(0);
      expect(repo.packs.get(packId)!.state).toBe("retired");

      // The replaced pack stays for the grace period, then goes; every object is still there, intact.
      expect(await dropRetired(repo, 1000 + RETIRED_GRACE_MS - 1)).toBe(true);
      expect(await dropRetired(repo, 1000 + RETIRED_GRACE_MS)).toBe(false);
      expect(repo.packs.get(packId)).toBeUndefined();
      repo.store.forget();
      for (const oid of stored) {
        const object = (await repo.store.read(oid))!;
        expect(await objectId(object.type, object.data)).toBe(oid);
      }
      expect(await repack(repo)).toMatchObject({ repacked: false, reason: "the stored packs hold exactly the reachable objects" });
    });
  });

  it("leaves packs in R2 alone", async () => {
    await inRepo(async (repo) => {
      const { packId, commits } = await storeFixturePack(repo);
      seed(repo, { ref: "refs/heads/main", to: commits[0]! }, { ref: "refs/heads/main", kind: "delete", to: "0".repeat(40) });
      repo.packs.markArchived(packId, "k");
      expect(await repack(repo)).toMatchObject({ repacked: false, packsBefore: 1 });
      expect(repo.packs.all().map((p) => p.id)).toEqual([packId]);
    });
  });

  it("is scheduled by an API write that turns whole-pack reuse off, and the alarm repacks once it is due", async () => {
    const { name, stub, alarm } = await restoredRepo();
    expect(await alarm()).toBeGreaterThan(Date.now());
    // The first alarm, soon, builds the commit graph; the repack is due HOUSEKEEPING_DELAY_MS after the write.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await inRepo((repo) => expect(wholeReuseAllowed(repo.sql)).toBe(false), name);
    await inRepo((repo) => metaSet(repo.sql, "repack_due_at", String(Date.now() - 1)), name);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await inRepo(async (repo) => {
      expect(wholeReuseAllowed(repo.sql)).toBe(true);
      expect(repo.packs.all().map((p) => p.state).sort()).toEqual(["live", "live", "retired"]);
    }, name);
    // Set again, to drop the retired pack once its grace period is over.
    expect(await alarm()).toBeGreaterThan(Date.now() + RETIRED_GRACE_MS - 60_000);
  });
});

describe("repack of data it cannot read", () => {
  it("records the failure for GET storage, answers instead of throwing, and does not retry until the refs change", async () => {
    await inRepo(async (repo) => {
      // A commit stored before object checks existed, whose tree line is short: the walk cannot read it.
      const broken = commit("a".repeat(39));
      const packId = await ingestPack(repo.packs, repo.store, chunkSource(new Response(pack([broken])).body!), packLimits(1 << 20));
      repo.transaction(() => repo.packs.markLive(packId));
      seed(repo, { ref: "refs/heads/main", to: broken.oid }, { ref: "refs/heads/old", to: broken.oid }, { ref: "refs/heads/old", to: "0".repeat(40) });

      const first = await repack(repo);
      expect(first).toMatchObject({ repacked: false, reason: expect.stringMatching(/^failed: commit has no tree/) });
      const storage = await api(repo, "storage");
      expect(storage.body.failures.housekeeping).toMatchObject({ error: expect.stringContaining("commit has no tree"), seq: 3 });
      expect((await repack(repo)).reason).toMatch(/^not retried: it failed at/);
      seed(repo, { ref: "refs/heads/other", to: broken.oid });
      expect((await repack(repo)).reason).toMatch(/^failed:/);
    });
  });
});
