// The indexer beyond the fixtures: bases evicted from the delta-base cache, and long delta chains,
// on packs built here entry by entry.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeEntryHeader, encodeOfsDistance } from "../../../durable/pack/entry";
import { encodePackHeader } from "../../../durable/pack/header";
import { bytesToHex, hexToBytes } from "../../../durable/pack/hex";
import { objectId } from "../../../durable/pack/object-id";
import { OBJ_BLOB, OBJ_OFS_DELTA, OBJ_REF_DELTA } from "../../../durable/pack/types";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { concatBytes } from "../../../durable/protocol/pktline";
import { Random } from "../../../bench/harness/random";
import { inRepo } from "../../../bench/harness/in-repo";
import { packLimits } from "../../support/pack-limits";

/** Bytes that do not compress, so the pack is as big as its objects. */
const noiseBytes = (length: number, seed: number) => new Random(seed).bytes(length);

/** Pack entries appended one by one; offsets are known as they go, for OFS_DELTA. */
class PackBuilder {
  private parts: Uint8Array[] = [];
  private size = 12;
  private count = 0;

  whole(type: number, data: Uint8Array): number {
    return this.add([encodeEntryHeader(type, data.length), deflateSync(data)]);
  }

  ofsDelta(baseOffset: number, offset: number, delta: Uint8Array): number {
    return this.add([encodeEntryHeader(OBJ_OFS_DELTA, delta.length), encodeOfsDistance(offset - baseOffset), deflateSync(delta)]);
  }

  refDelta(baseOid: string, delta: Uint8Array): number {
    return this.add([encodeEntryHeader(OBJ_REF_DELTA, delta.length), hexToBytes(baseOid), deflateSync(delta)]);
  }

  get nextOffset(): number {
    return this.size;
  }

  build(): Uint8Array {
    const body = [encodePackHeader(this.count), ...this.parts];
    const sha = createHash("sha1");
    for (const p of body) sha.update(p);
    return concatBytes([...body, new Uint8Array(sha.digest())]);
  }

  private add(parts: Uint8Array[]): number {
    const offset = this.size;
    for (const p of parts) {
      this.parts.push(p);
      this.size += p.length;
    }
    this.count++;
    return offset;
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/** A delta that copies all of `base` (in 64 KiB copies) and appends `tail` (under 128 bytes). */
function appendDelta(baseLength: number, tail: Uint8Array): Uint8Array {
  const ops: number[] = [...varint(baseLength), ...varint(baseLength + tail.length)];
  for (let at = 0; at < baseLength; at += 0x10000) {
    const size = Math.min(0x10000, baseLength - at);
    // copy: offset bytes 0-3, size bytes 0-1 (a size of 0x10000 is encoded as none)
    ops.push(0x80 | 0x0f | (size === 0x10000 ? 0 : 0x30), at & 0xff, (at >> 8) & 0xff, (at >> 16) & 0xff, at >>> 24);
    if (size !== 0x10000) ops.push(size & 0xff, size >> 8);
  }
  ops.push(tail.length, ...tail);
  return Uint8Array.from(ops);
}

function streamOf(data: Uint8Array): ReadableStream<Uint8Array> {
  let p = 0;
  return new ReadableStream({
    pull(c) {
      if (p >= data.length) return c.close();
      c.enqueue(data.slice(p, p + 65536));
      p += 65536;
    },
  });
}

async function ingest(repo: Repository, pack: Uint8Array): Promise<void> {
  const id = await ingestPack(repo.packs, repo.store, chunkSource(streamOf(pack)), packLimits(1 << 30));
  repo.transaction(() => repo.packs.markLive(id));
}

const text = (s: string) => new TextEncoder().encode(s);

describe("pack indexer at scale", () => {
  it("resolves a delta whose base was evicted from the delta-base cache (a pack larger than the cache)", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const pack = new PackBuilder();
      const base = noiseBytes(1 << 20, 1);
      const baseOffset = pack.whole(OBJ_BLOB, base);
      // 40 MiB of other blobs pushes the base out of the delta-base cache (8 MiB).
      for (let i = 0; i < 40; i++) pack.whole(OBJ_BLOB, noiseBytes(1 << 20, i + 2));
      pack.ofsDelta(baseOffset, pack.nextOffset, appendDelta(base.length, text("late")));
      const data = pack.build();
      expect(data.length).toBeGreaterThan(40 << 20);
      await ingest(repo, data);
      const expected = concatBytes([base, text("late")]);
      const oid = await objectId(OBJ_BLOB, expected);
      expect(repo.store.locate(oid)?.baseOid).toBe(await objectId(OBJ_BLOB, base));
      repo.store.forget();
      expect((await repo.store.read(oid))?.data).toEqual(expected);
    });
  });

  it("follows the oldest copy of a resent object, so deltas stored in both directions do not loop", { timeout: 60_000 }, async () => {
    await inRepo(async (repo) => {
      const x = noiseBytes(4096, 90);
      const y = concatBytes([x, text("y")]);
      const z = concatBytes([x, text("z")]);
      const [xOid, yOid, zOid] = await Promise.all([x, y, z].map((data) => objectId(OBJ_BLOB, data)));
      const only = (build: (pack: PackBuilder) => void) => {
        const pack = new PackBuilder();
        build(pack);
        return pack.build();
      };
      await ingest(repo, only((p) => p.whole(OBJ_BLOB, x)));
      await ingest(repo, only((p) => p.refDelta(xOid, appendDelta(x.length, text("y")))));
      repo.store.forget();
      // x again, now a delta on y (itself stored as a delta on x); 30 MiB later, z is a delta on x.
      await ingest(
        repo,
        only((p) => {
          p.refDelta(yOid, Uint8Array.from([...varint(y.length), ...varint(x.length), 0x80 | 0x30, x.length & 0xff, x.length >> 8]));
          for (let i = 0; i < 30; i++) p.whole(OBJ_BLOB, noiseBytes(1 << 20, 100 + i));
          p.refDelta(xOid, appendDelta(x.length, text("z")));
        }),
      );
      repo.store.forget();
      expect(bytesToHex((await repo.store.read(zOid))!.data)).toBe(bytesToHex(z));
      expect(repo.store.locate(xOid)?.baseOid).toBeNull();
    });
  });

  for (const [order, refs] of [["bases first, as OFS_DELTA", false], ["deltas before their bases, as REF_DELTA", true]] as const) {
    it(`resolves a delta chain 50 deep, ${order}`, async () => {
      await inRepo(async (repo) => {
        const versions = [text("version 0\n")];
        for (let i = 1; i <= 50; i++) versions.push(concatBytes([versions[i - 1], text(`version ${i}\n`)]));
        const oids = await Promise.all(versions.map((v) => objectId(OBJ_BLOB, v)));
        const deltas = versions.map((v, i) => (i === 0 ? v : appendDelta(versions[i - 1].length, v.subarray(versions[i - 1].length))));
        const pack = new PackBuilder();
        if (refs) {
          for (let i = 50; i >= 1; i--) pack.refDelta(oids[i - 1], deltas[i]);
          pack.whole(OBJ_BLOB, versions[0]);
        } else {
          let previous = pack.whole(OBJ_BLOB, versions[0]);
          for (let i = 1; i <= 50; i++) previous = pack.ofsDelta(previous, pack.nextOffset, deltas[i]);
        }
        await ingest(repo, pack.build());
        expect(repo.sql.exec<{ n: number }>("SELECT count(*) AS n FROM objects").one().n).toBe(51);
        repo.store.forget();
        expect((await repo.store.read(oids[50]))?.data).toEqual(versions[50]);
      });
    });
  }
});
