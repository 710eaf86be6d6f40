// Objects over BIG_OBJECT_BYTES take the streamed path (pack/big-entries.ts): with a small threshold,
// a whole blob larger than any buffer the code allocates, and delta chains over such a blob, are
// indexed with the right ids and read back whole; a pack written for a clone carries them intact;
// and an object over MAX_OBJECT_BYTES is reported and named by its path (test/e2e/big-files.test.ts
// pushes one with git).
import { describe, expect, it } from "vitest";
import { writePack } from "../../../durable/pack/writer";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { ObjectChecks } from "../../../durable/walk/object-checks";
import { oversizedLines } from "../../../durable/service/oversized";
import { SendSet } from "../../../durable/walk/send-set";
import { inRepo } from "../../../bench/harness/in-repo";
import { Random } from "../../../bench/harness/random";
import { commit, object, packWithDeltas, tree, type HandDelta, type HandObject } from "../../support/hand-pack";
import { packLimits } from "../../support/pack-limits";

const BIG = { BIG_OBJECT_BYTES: String(64 * 1024) };
const MiB = 1024 * 1024;
const random = new Random(15);
const randomBytes = (n: number) => random.bytes(n);

/** `base` with `at` changed bytes and `tail` appended. */
function edited(base: Uint8Array, at: number, tail: number): Uint8Array {
  const out = new Uint8Array(base.length + tail);
  out.set(base);
  out.set(randomBytes(16), at);
  out.set(randomBytes(tail), base.length);
  return out;
}

async function ingest(repo: Repository, data: Uint8Array, checks?: ObjectChecks, limits = packLimits(1 << 30, BIG)): Promise<number> {
  const id = await ingestPack(repo.packs, repo.store, chunkSource(new Response(data).body!), limits, undefined, checks);
  repo.transaction(() => repo.packs.markLive(id));
  return id;
}

const scratchLeft = (repo: Repository) => repo.dofs.list("scratch/").length + repo.dofs.list("trash/").length;

describe("big objects", () => {
  it("indexes a whole blob larger than every buffer, and delta chains on it, with git's ids", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const v1 = object("blob", randomBytes(3 * MiB + 17));
      const v2 = object("blob", edited(v1.data, 1000, 70_000));
      const v3 = object("blob", edited(v2.data, 2 * MiB, 5));
      const entries: (HandObject | HandDelta)[] = [v1, { base: v1, result: v2 }, { base: v2, result: v3 }];
      await ingest(repo, packWithDeltas(entries));
      for (const blob of [v1, v2, v3]) {
        const loc = repo.store.locate(blob.oid)!;
        expect(loc.size).toBe(blob.data.length);
        expect(object("blob", (await repo.store.readAt(loc)).data).oid).toBe(blob.oid);
      }
      expect(scratchLeft(repo)).toBe(0);
    });
  });

  it("resolves a thin pack's delta on a big stored blob", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const v1 = object("blob", randomBytes(2 * MiB));
      const v2 = object("blob", edited(v1.data, 10, 100));
      await ingest(repo, packWithDeltas([v1]));
      await ingest(repo, packWithDeltas([{ base: v1, result: v2 }]));
      expect(repo.store.locate(v2.oid)?.size).toBe(v2.data.length);
      expect(scratchLeft(repo)).toBe(0);
    });
  });

  it("writes packs with big entries by ranges, whole or compressed again", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const v1 = object("blob", randomBytes(3 * MiB));
      const v2 = object("blob", edited(v1.data, 5, 10));
      await ingest(repo, packWithDeltas([v1, { base: v1, result: v2 }]));
      // v2 alone: its base is not sent, so it is compressed again from a scratch file.
      for (const oids of [[v1.oid, v2.oid], [v2.oid]]) {
        const sending = new SendSet();
        for (const oid of oids) sending.add(oid);
        const pieces: Uint8Array[] = [];
        for await (const piece of writePack(repo.store, sending, { reused: 0, deltas: 0, recompressed: 0 }, { bigObjectBytes: 64 * 1024 })) pieces.push(piece);
        const written = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of pieces) written.set(p, (at += p.length) - p.length);
        await inRepo(async (other) => {
          await ingest(other, written);
          for (const oid of oids) expect(other.store.locate(oid)?.size).toBe(oid === v1.oid ? v1.data.length : v2.data.length);
        });
      }
      expect(scratchLeft(repo)).toBe(0);
    });
  });

  it("reports an object over MAX_OBJECT_BYTES, and names it by its path in the push's commits", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const small = object("blob", "small\n");
      const big = object("blob", randomBytes(300 * 1024));
      const assets = tree(["100644", "big.bin", big.oid]);
      const firstTree = tree(["100644", "a.txt", small.oid], ["40000", "assets", assets.oid]);
      const first = commit(firstTree.oid);
      // The tip no longer has the file: its parent added it.
      const tipTree = tree(["100644", "a.txt", small.oid]);
      const tip = commit(tipTree.oid, [first.oid]);
      const checks = new ObjectChecks(true);
      const limits = packLimits(1 << 30, { ...BIG, MAX_OBJECT_BYTES: String(256 * 1024) });
      const id = await ingest(repo, packWithDeltas([small, big, assets, firstTree, first, tipTree, tip]), checks, limits);
      expect(checks.oversized).toEqual([{ oid: big.oid, size: big.data.length }]);
      expect(await oversizedLines(repo.store, id, [tip.oid], checks.oversized, 256 * 1024)).toEqual([
        "error: File assets/big.bin is 300 KiB; this exceeds the limit of 256 KiB. Use Git LFS for large files: git lfs migrate import --include=assets/big.bin and push again.",
      ]);
    });
  });
});
