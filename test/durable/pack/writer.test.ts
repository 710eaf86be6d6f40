// The pack writer (durable/pack/writer.ts) over the fixture pack: a pack written for a set of objects
// has a valid header and SHA-1 trailer, and the project's own indexer, in a second repository, finds
// in it exactly the objects asked for, each reading back intact. Deltas whose base is not sent go whole.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePackHeader, PACK_HEADER_SIZE, PACK_TRAILER_SIZE } from "../../../durable/pack/header";
import type { IndexedEntry } from "../../../durable/pack/indexer";
import { objectId } from "../../../durable/pack/object-id";
import { parseCommit, parseTree } from "../../../durable/pack/parse-object";
import { OBJ_OFS_DELTA, OBJ_REF_DELTA } from "../../../durable/pack/types";
import { writePack, type PackStats, type WriteOptions } from "../../../durable/pack/writer";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { concatBytes } from "../../../durable/protocol/pktline";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { SendSet } from "../../../durable/walk/send-set";
import { OBJECT_COUNT } from "../../fixtures/packs";
import { storeFixturePack } from "../../support/workerd/api";
import { inRepo } from "../../../bench/harness/in-repo";
import { packLimits } from "../../support/pack-limits";

const allOids = (repo: Repository) => repo.sql.exec<{ oid: string }>("SELECT DISTINCT oid FROM objects ORDER BY oid").toArray().map((r) => r.oid);

/** A commit, its tree and the blobs in it (the fixture's trees are flat). */
async function snapshot(repo: Repository, commit: string): Promise<string[]> {
  const { tree } = parseCommit((await repo.store.read(commit))!.data);
  return [commit, tree, ...parseTree((await repo.store.read(tree))!.data).map((e) => e.oid)];
}

/** The whole pack writePack yields for `oids`. */
async function write(repo: Repository, oids: string[], options?: WriteOptions): Promise<{ pack: Uint8Array; stats: PackStats }> {
  const sending = new SendSet();
  for (const oid of oids) sending.add(oid);
  const stats: PackStats = { reused: 0, deltas: 0, recompressed: 0 };
  const pieces: Uint8Array[] = [];
  for await (const piece of writePack(repo.store, sending, stats, options)) pieces.push(piece);
  return { pack: concatBytes(pieces), stats };
}

/** Indexes `pack` in `repo` as a live pack. */
async function ingest(repo: Repository, pack: Uint8Array): Promise<void> {
  const id = await ingestPack(repo.packs, repo.store, chunkSource(new Response(pack).body!), packLimits(1 << 30));
  repo.transaction(() => repo.packs.markLive(id));
}

function expectValidFraming(pack: Uint8Array, count: number): void {
  expect(parsePackHeader(pack)).toEqual({ version: 2, count });
  const body = pack.subarray(0, pack.length - PACK_TRAILER_SIZE);
  expect(pack.subarray(pack.length - PACK_TRAILER_SIZE)).toEqual(new Uint8Array(createHash("sha1").update(body).digest()));
}

describe("writePack", () => {
  it("writes every stored object into a pack another repository indexes back whole", async () => {
    const entries: IndexedEntry[] = [];
    const { oids, pack, stats } = await inRepo(async (repo) => {
      await storeFixturePack(repo);
      const oids = allOids(repo);
      return { oids, ...(await write(repo, oids, { onEntry: (e) => void entries.push(e) })) };
    });
    expect(oids).toHaveLength(OBJECT_COUNT);
    expectValidFraming(pack, OBJECT_COUNT);
    // Every base is sent, so every stored entry is reused: deltas stay deltas.
    expect(stats.recompressed).toBe(0);
    expect(stats.deltas).toBeGreaterThan(0);
    expect(stats.reused + stats.deltas).toBe(OBJECT_COUNT);
    // onEntry is told of each entry, back to back from the header to the trailer.
    expect(entries.map((e) => e.oid).sort()).toEqual(oids);
    expect(entries[0]!.offset).toBe(PACK_HEADER_SIZE);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.offset).toBe(entries[i - 1]!.end);
    expect(entries.at(-1)!.end).toBe(pack.length - PACK_TRAILER_SIZE);

    await inRepo(async (other) => {
      await ingest(other, pack);
      expect(allOids(other)).toEqual(oids);
      other.store.forget();
      for (const oid of oids) {
        const object = (await other.store.read(oid))!;
        expect(await objectId(object.type, object.data)).toBe(oid);
      }
    });
  });

  it("sends a delta whose base stays behind as the whole object, so the pack stands alone", async () => {
    const { oids, pack, stats, cutOff } = await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      const oids = await snapshot(repo, commits.at(-1)!);
      const cutOff = oids.filter((oid) => {
        const base = repo.store.locate(oid)!.baseOid;
        return base !== null && !oids.includes(base);
      });
      return { oids, cutOff, ...(await write(repo, oids)) };
    });
    expect(cutOff.length).toBeGreaterThan(0);
    expectValidFraming(pack, oids.length);
    expect(stats).toEqual({ reused: oids.length - cutOff.length, deltas: 0, recompressed: cutOff.length });
    await inRepo(async (other) => {
      await ingest(other, pack);
      expect(allOids(other)).toEqual([...oids].sort());
      expect(cutOff.map((oid) => other.store.locate(oid)!.baseOid)).toEqual(cutOff.map(() => null));
    });
  });

  it("keeps such a delta when told the reader has its base: a thin pack", async () => {
    const { pack, stats } = await inRepo(async (repo) => {
      const { commits } = await storeFixturePack(repo);
      return write(repo, await snapshot(repo, commits.at(-1)!), { hasBase: () => true });
    });
    expect(stats.recompressed).toBe(0);
    expect(stats.deltas).toBeGreaterThan(0);
    await inRepo(async (empty) => {
      await expect(ingest(empty, pack)).rejects.toThrow(/missing delta base/);
    });
    await inRepo(async (holder) => {
      await storeFixturePack(holder);
      await ingest(holder, pack);
    });
  });

  it("writes deltas on a base written before them as OFS_DELTA when asked, which index back intact", async () => {
    const entries: IndexedEntry[] = [];
    const { pack, stats, oids } = await inRepo(async (repo) => {
      await storeFixturePack(repo);
      const oids = allOids(repo);
      return { ...(await write(repo, oids, { ofsDelta: true, onEntry: (e) => void entries.push(e) })), oids };
    });
    expect(stats.deltas).toBeGreaterThan(0);
    const types = entries.map((e) => (pack[e.offset]! >> 4) & 7);
    expect(types.filter((t) => t === OBJ_OFS_DELTA)).toHaveLength(stats.deltas);
    expect(types).not.toContain(OBJ_REF_DELTA);
    await inRepo(async (empty) => {
      await ingest(empty, pack);
      expect(allOids(empty)).toEqual(oids);
    });
  });

  it("writes an empty pack for no objects", async () => {
    const { pack } = await inRepo(async (repo) => {
      await storeFixturePack(repo);
      return write(repo, []);
    });
    expect(pack.length).toBe(PACK_HEADER_SIZE + PACK_TRAILER_SIZE);
    expectValidFraming(pack, 0);
  });

  it("refuses an object that is not stored, among few objects or most of the store", async () => {
    await inRepo(async (repo) => {
      await storeFixturePack(repo);
      const missing = "1".repeat(40);
      await expect(write(repo, [missing])).rejects.toThrow(`object ${missing} is not stored`);
      await expect(write(repo, [...allOids(repo), missing])).rejects.toThrow(`object ${missing} vanished while packing`);
    });
  });
});
