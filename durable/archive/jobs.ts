// The repository's side of archival: storage figures, claiming packs for a job, handing out their
// bytes, and the commit that switches a verified pack to R2 and frees its chunks, in one transaction.
import { StorageError } from "../errors";
import type { Repository } from "../repository";
import { lastFailure, recordSuccess, type JobFailure } from "../store/health";
import { metaAdd, metaDelete, metaGet, metaSet } from "../store/meta";
import type { PackInfo } from "../store/packs";
import { choosePacks } from "./plan";
import type { ArchiveSettings } from "../../worker/settings";

/** A claim older than this is taken to be from a job that died, and may be retaken. */
export const ARCHIVE_LEASE_MS = 15 * 60_000;

export interface StorageReport {
  limitBytes: number;
  hotBytes: number;
  archivedBytes: number;
  highWatermark: number;
  lowWatermark: number;
  /** The last failure of background work, if any, until a run succeeds. */
  failures: { housekeeping: JobFailure | null; archive: JobFailure | null };
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
  return Number(metaGet(repo.sql, "archived_bytes") ?? 0);
}

export function storageReport(repo: Repository, settings: ArchiveSettings): StorageReport {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    limitBytes: settings.limitBytes,
    hotBytes: hotBytes(repo),
    archivedBytes: archivedBytes(repo),
    highWatermark: settings.highWatermark,
    lowWatermark: settings.lowWatermark,
    failures: { housekeeping: lastFailure(repo.sql, "housekeeping"), archive: lastFailure(repo.sql, "archive") },
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

function claimable(p: PackInfo, now: number): boolean {
  if (p.tier !== "hot") return false;
  if (p.state === "live") return true;
  return p.state === "archiving" && now - (p.archivingSince ?? 0) >= ARCHIVE_LEASE_MS;
}

/** Chooses packs and claims them (state archiving) so that a second job at the same time skips them. */
export function claimArchive(repo: Repository, settings: ArchiveSettings, now: number): ArchiveTask[] {
  return repo.transaction(() => {
    const candidates = repo.packs.all().filter((p) => claimable(p, now));
    const name = repo.name();
    return choosePacks(candidates, hotBytes(repo), settings, now).map((id) => {
      const pack = repo.packs.get(id)!;
      const staleUploadId = pack.uploadId;
      repo.packs.claimForArchive(id, now);
      return { packId: id, bytes: pack.bytes, checksum: pack.checksum ?? "", key: `${name}/packs/${id}-${pack.checksum}.pack`, staleUploadId };
    });
  });
}

/** Bytes [start, end) of a hot pack that a job is archiving. */
export async function readClaimedPack(repo: Repository, packId: number, start: number, end: number): Promise<Uint8Array> {
  const pack = repo.packs.get(packId);
  if (!pack || pack.tier !== "hot") throw new StorageError(`pack ${packId} is not hot`);
  return repo.packs.read(packId, start, end);
}

export function recordUpload(repo: Repository, packId: number, uploadId: string | null): void {
  repo.packs.recordUpload(packId, uploadId);
}

/**
 * Switches a pack whose R2 copy has been verified to tier archived, takes its chunks out of reach and
 * counts its bytes as archived, in one transaction; then deletes the chunks, giving way as it goes.
 * Returns false when it was archived already (a redelivery).
 */
export async function commitArchive(repo: Repository, packId: number, key: string, bytes: number): Promise<boolean> {
  const committed = repo.transaction(() => {
    const pack = repo.packs.get(packId);
    if (!pack || pack.tier === "archived") return false;
    if (pack.bytes !== bytes) throw new StorageError(`pack ${packId} has ${pack.bytes} bytes, the archive ${bytes}`);
    repo.packs.markArchived(packId, key);
    metaAdd(repo.sql, "archived_bytes", bytes);
    return true;
  });
  await repo.packs.freeChunks();
  return committed;
}

/** Gives back the claim on packs a job could not finish, so the next job takes them at once. */
export function releaseClaim(repo: Repository, packId: number): void {
  repo.packs.releaseClaim(packId);
}

/**
 * After a write: whether to queue an archive job. True once when hot bytes pass the high watermark;
 * not again while that job is pending (until it finishes or its lease runs out).
 */
export function takeArchiveTrigger(repo: Repository, settings: ArchiveSettings, now: number): boolean {
  if (hotBytes(repo) <= settings.highWatermark * settings.limitBytes) return false;
  const queuedAt = Number(metaGet(repo.sql, "archive_queued_at") ?? 0);
  if (now - queuedAt < ARCHIVE_LEASE_MS) return false;
  metaSet(repo.sql, "archive_queued_at", String(now));
  return true;
}

/** The end of an archive job that moved `packs` packs of `bytes` bytes to R2. */
export function archiveFinished(repo: Repository, packs = 0, bytes = 0): void {
  metaDelete(repo.sql, "archive_queued_at");
  recordSuccess(repo.sql, "archive", `archived ${packs} pack${packs === 1 ? "" : "s"}, ${bytes} bytes`);
}
