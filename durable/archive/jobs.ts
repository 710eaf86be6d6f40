// The repository's side of archival: storage figures, claiming packs for a job, handing out their
// bytes, and the commit that switches a verified pack to R2 and frees its chunks, in one transaction.
import type { Repository } from "../repository";
import type { PackInfo } from "../store/packs";
import { choosePacks } from "./plan";
import type { ArchiveSettings } from "./settings";

/** A claim older than this is taken to be from a job that died, and may be retaken. */
export const ARCHIVE_LEASE_MS = 15 * 60_000;

export interface StorageReport {
  limitBytes: number;
  hotBytes: number;
  archivedBytes: number;
  highWatermark: number;
  lowWatermark: number;
  packs: { id: number; bytes: number; objects: number; tier: string; state: string; createdAt: string; lastAccessAt: string }[];
}

export interface ArchiveTask {
  packId: number;
  bytes: number;
  /** The pack's own SHA-1 trailer, hex. */
  checksum: string;
  key: string;
  /** An unfinished multipart upload an earlier job left behind, to abort. */
  staleUploadId: string | null;
}

/** Bytes in SQLite (chunks, indexes, log): the database's own size, no table scan. */
export function hotBytes(repo: Repository): number {
  return repo.sql.databaseSize;
}

export function archivedBytes(repo: Repository): number {
  return Number(repo.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'archived_bytes'").toArray()[0]?.value ?? 0);
}

export function storageReport(repo: Repository, settings: ArchiveSettings): StorageReport {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    limitBytes: settings.limitBytes,
    hotBytes: hotBytes(repo),
    archivedBytes: archivedBytes(repo),
    highWatermark: settings.highWatermark,
    lowWatermark: settings.lowWatermark,
    packs: repo.packs
      .all()
      .filter((p) => p.state !== "incoming")
      .sort((a, b) => a.id - b.id)
      .map((p) => ({ id: p.id, bytes: p.bytes, objects: p.objects, tier: p.tier, state: p.state, createdAt: iso(p.createdAt), lastAccessAt: iso(p.lastAccessAt) })),
  };
}

/** The least recently read hot pack's last read, for the registry's cold scan. */
export function coldestAccess(repo: Repository): number | null {
  const hot = repo.packs.all().filter((p) => p.tier === "hot" && p.state !== "incoming");
  return hot.length ? Math.min(...hot.map((p) => p.lastAccessAt)) : null;
}

function claimable(p: PackInfo, claimedAt: Map<number, number | null>, now: number): boolean {
  if (p.tier !== "hot") return false;
  if (p.state === "live") return true;
  return p.state === "archiving" && now - (claimedAt.get(p.id) ?? 0) >= ARCHIVE_LEASE_MS;
}

/** Chooses packs and claims them (state archiving) so that a second job at the same time skips them. */
export function claimArchiveTasks(repo: Repository, settings: ArchiveSettings, now: number): ArchiveTask[] {
  return repo.transaction(() => {
    const claimedAt = new Map<number, number | null>();
    const uploads = new Map<number, string | null>();
    for (const r of repo.sql.exec<{ id: number; archiving_since: number | null; upload_id: string | null }>("SELECT id, archiving_since, upload_id FROM packs WHERE tier = 'hot'")) {
      claimedAt.set(r.id, r.archiving_since);
      uploads.set(r.id, r.upload_id);
    }
    const candidates = repo.packs.all().filter((p) => claimable(p, claimedAt, now));
    const name = repo.name();
    return choosePacks(candidates, hotBytes(repo), settings, now).map((id) => {
      repo.sql.exec("UPDATE packs SET state = 'archiving', archiving_since = ? WHERE id = ?", now, id);
      repo.packs.reload(id);
      const pack = repo.packs.get(id)!;
      return { packId: id, bytes: pack.bytes, checksum: pack.checksum ?? "", key: `${name}/packs/${id}-${pack.checksum}.pack`, staleUploadId: uploads.get(id) ?? null };
    });
  });
}

/** Bytes [start, end) of a hot pack that a job is archiving. */
export async function readClaimedPack(repo: Repository, packId: number, start: number, end: number): Promise<Uint8Array> {
  const pack = repo.packs.get(packId);
  if (!pack || pack.tier !== "hot") throw new Error(`pack ${packId} is not hot`);
  return repo.packs.read(packId, start, end);
}

export function recordUpload(repo: Repository, packId: number, uploadId: string | null): void {
  repo.sql.exec("UPDATE packs SET upload_id = ? WHERE id = ?", uploadId, packId);
}

/**
 * Switches a pack whose R2 copy has been verified to tier archived, deletes its chunks and counts its
 * bytes as archived, in one transaction. Returns false when it was archived already (a redelivery).
 */
export function commitArchive(repo: Repository, packId: number, key: string, bytes: number): boolean {
  const committed = repo.transaction(() => {
    const pack = repo.packs.get(packId);
    if (!pack || pack.tier === "archived") return false;
    if (pack.bytes !== bytes) throw new Error(`pack ${packId} has ${pack.bytes} bytes, the archive ${bytes}`);
    repo.sql.exec("UPDATE packs SET tier = 'archived', r2_key = ?, state = 'live', archiving_since = NULL, upload_id = NULL WHERE id = ?", key, packId);
    repo.dofs.delete(pack.path);
    repo.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('archived_bytes', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ?",
      String(bytes),
      bytes,
    );
    return true;
  });
  repo.packs.reload(packId);
  return committed;
}

/** Gives back the claim on packs a job could not finish, so the next job takes them at once. */
export function releaseClaim(repo: Repository, packId: number): void {
  repo.sql.exec("UPDATE packs SET state = 'live', archiving_since = NULL WHERE id = ? AND state = 'archiving'", packId);
  repo.packs.reload(packId);
}

/**
 * After a write: whether to queue an archive job. True once when hot bytes pass the high watermark;
 * not again while that job is pending (until it finishes or its lease runs out).
 */
export function takeArchiveTrigger(repo: Repository, settings: ArchiveSettings, now: number): boolean {
  if (hotBytes(repo) <= settings.highWatermark * settings.limitBytes) return false;
  const queuedAt = Number(repo.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'archive_queued_at'").toArray()[0]?.value ?? 0);
  if (now - queuedAt < ARCHIVE_LEASE_MS) return false;
  repo.sql.exec("INSERT INTO meta (key, value) VALUES ('archive_queued_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", String(now));
  return true;
}

export function archiveFinished(repo: Repository): void {
  repo.sql.exec("DELETE FROM meta WHERE key = 'archive_queued_at'");
}
