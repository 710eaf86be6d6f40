import { describe, expect, it } from "vitest";
import { PackError } from "../../../durable/errors";
import { OBJ_COMMIT, OBJ_TAG } from "../../../durable/pack/types";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { BASE, FULL, HEAD, OBJECT_COUNT, REF_DELTAS, TAG, THIN } from "../../fixtures/packs";
import { inRepo } from "../../../bench/harness/in-repo";
import { packLimits } from "../../support/pack-limits";

function bytes(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** A stream that hands out `data` in pieces of `size` bytes. */
function streamOf(data: Uint8Array, size = 1000): ReadableStream<Uint8Array> {
  let p = 0;
  return new ReadableStream({
    pull(c) {
      if (p >= data.length) return c.close();
      c.enqueue(data.slice(p, p + size));
      p += size;
    },
  });
}

async function ingest(repo: Repository, data: Uint8Array, size?: number): Promise<number> {
  const id = await ingestPack(repo.packs, repo.store, chunkSource(streamOf(data, size)), packLimits(1 << 30));
  repo.transaction(() => repo.packs.markLive(id));
  return id;
}

const count = (repo: Repository) => repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM objects").one().n;

describe("pack indexer", () => {
  for (const [name, pack] of [["OFS_DELTA", FULL], ["REF_DELTA", REF_DELTAS]] as const) {
    it(`indexes every object of a ${name} pack streamed in small pieces`, async () => {
      await inRepo(async (repo) => {
        const data = bytes(pack);
        await ingest(repo, data, 7);
        expect(count(repo)).toBe(OBJECT_COUNT);
        expect(repo.store.locate(HEAD)?.type).toBe(OBJ_COMMIT);
        expect(repo.store.locate(TAG)?.type).toBe(OBJ_TAG);
        repo.store.forget();
        const head = await repo.store.read(HEAD);
        expect(new TextDecoder().decode(head!.data)).toMatch(/^tree [0-9a-f]{40}\n/);
        const packRow = repo.sql.exec<{ bytes: number; objects: number }>("SELECT bytes, objects FROM packs").one();
        expect(packRow).toEqual({ bytes: data.length, objects: OBJECT_COUNT });
      });
    });
  }

  it("resolves a thin pack's bases from the store", async () => {
    await inRepo(async (repo) => {
      await ingest(repo, bytes(BASE));
      await ingest(repo, bytes(THIN));
      repo.store.forget();
      expect((await repo.store.read(HEAD))?.type).toBe(OBJ_COMMIT);
    });
  });

  it("rejects a thin pack whose bases are missing, and keeps nothing", async () => {
    await inRepo(async (repo) => {
      await expect(ingest(repo, bytes(THIN))).rejects.toThrow(/missing delta base/);
      expect(count(repo)).toBe(0);
      expect(repo.sql.exec("SELECT count(*) AS n FROM packs").one().n).toBe(0);
      expect(repo.sql.exec("SELECT count(*) AS n FROM chunks").one().n).toBe(0);
    });
  });

  const corruptions: [string, (d: Uint8Array) => Uint8Array, RegExp][] = [
    ["a truncated pack", (d) => d.slice(0, d.length - 100), /truncated/],
    ["a bad checksum", (d) => { const c = d.slice(); c[c.length - 1] ^= 1; return c; }, /checksum/],
    ["a corrupt entry", (d) => { const c = d.slice(); c[40] ^= 0xff; return c; }, /corrupt|checksum|inflates|invalid/],
    ["a bad signature", (d) => { const c = d.slice(); c[0] = 0; return c; }, /signature/],
    ["trailing garbage", (d) => new Uint8Array([...d, 1, 2, 3]), /trailing/],
    ["an empty body", () => new Uint8Array(0), /truncated/],
  ];
  for (const [what, corrupt, message] of corruptions) {
    it(`rejects ${what} and leaves storage as it was`, async () => {
      await inRepo(async (repo) => {
        const err = await ingest(repo, corrupt(bytes(FULL))).catch((e) => e);
        expect(err).toBeInstanceOf(PackError);
        expect(err.message).toMatch(message);
        expect(count(repo)).toBe(0);
        expect(repo.sql.exec("SELECT count(*) AS n FROM files").one().n).toBe(0);
      });
    });
  }
});
