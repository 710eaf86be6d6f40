// Helpers for the archival tests: repositories seeded with packs (no push, so no archive job starts
// by itself), a pack of incompressible blobs large enough for a multipart upload, and checks.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { expect } from "vitest";
import { encodeEntryHeader } from "../../../durable/pack/entry";
import { encodePackHeader } from "../../../durable/pack/header";
import { OBJ_BLOB } from "../../../durable/pack/types";
import { concatBytes } from "../../../durable/protocol/pktline";
import type { Repository } from "../../../durable/repository";
import { ingestPack } from "../../../durable/store/ingest";
import { chunkSource } from "../../../durable/protocol/chunk-source";
import { FULL } from "../../fixtures/packs";
import { Random } from "../../../bench/harness/random";
import { inRepo, testEnv } from "../../../bench/harness/in-repo";
import { packLimits } from "../pack-limits";

export const fixturePack = () => Uint8Array.from(atob(FULL), (c) => c.charCodeAt(0));

let packSeed = 1;

/** A pack of `count` distinct random blobs of `size` bytes each (stored nearly uncompressed). */
export function blobPack(count: number, size: number): Uint8Array {
  const parts = [encodePackHeader(count)];
  for (let i = 0; i < count; i++) {
    const blob = new Random(packSeed++ * 7919).bytes(size);
    parts.push(encodeEntryHeader(OBJ_BLOB, size), deflateSync(blob, { level: 1 }));
  }
  const body = concatBytes(parts);
  return concatBytes([body, new Uint8Array(createHash("sha1").update(body).digest())]);
}

/** Creates repository `name` and stores each pack as a live pack. */
export async function seedRepo(name: string, ...packs: Uint8Array[]): Promise<void> {
  await inRepo(async (repo) => {
    repo.create(name);
    for (const pack of packs) await addPack(repo, pack);
  }, name);
}

export async function addPack(repo: Repository, pack: Uint8Array): Promise<number> {
  const id = await ingestPack(repo.packs, repo.store, chunkSource(new Response(pack).body!), packLimits(1 << 30));
  repo.transaction(() => repo.packs.markLive(id));
  return id;
}

/** Every indexed object of `name` reads back whole, with the id its content hashes to. */
export async function expectAllReadable(name: string): Promise<void> {
  await inRepo(async (repo) => {
    repo.store.forget();
    const oids = repo.sql.exec<{ oid: string }>("SELECT DISTINCT oid FROM objects").toArray().map((r) => r.oid);
    for (const oid of oids) {
      const object = await repo.store.read(oid);
      expect(object, oid).not.toBeNull();
      const type = ["", "commit", "tree", "blob", "tag"][object!.type];
      expect(createHash("sha1").update(`${type} ${object!.data.length}\0`).update(object!.data).digest("hex")).toBe(oid);
    }
  }, name);
}

export interface PackState {
  id: number;
  tier: string;
  state: string;
  chunks: number;
}

export async function packStates(name: string): Promise<{ packs: PackState[]; archivedBytes: number }> {
  return inRepo((repo) => {
    const packs = repo.sql
      .exec<{ id: number; tier: string; state: string; path: string }>("SELECT id, tier, state, path FROM packs ORDER BY id")
      .toArray()
      .map((p) => ({ id: p.id, tier: p.tier, state: p.state, chunks: repo.dofs.stat(p.path) ? 1 : 0 }));
    const archived = Number(repo.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'archived_bytes'").toArray()[0]?.value ?? 0);
    return { packs, archivedBytes: archived };
  }, name);
}

/** The R2 objects stored for repository `name`. */
export async function r2Keys(name: string): Promise<string[]> {
  return (await testEnv.ARCHIVE.list({ prefix: `${name}/` })).objects.map((o) => o.key);
}
