// Housekeeping: the stored packs rewritten as one pack of exactly the reachable objects and, when there
// are others, one pack of the rest, kept because the ref log can restore any old tip (git gc's cruft
// packs, without their expiry). Full clones are then served from the stored packs whole again
// (store/whole-reuse.ts) instead of by a history walk. Entries are copied as they are stored.
import { bytesToHex } from "../pack/hex";
import type { IndexedEntry } from "../pack/indexer";
import { writePack, type PackObjects, type PackStats } from "../pack/writer";
import type { Repository } from "../repository";
import type { Operation } from "../observe/operation";
import { StorageError } from "../errors";
import { ROWS_PER_BATCH } from "../store/ingest";
import { lastFailure, recordFailure, recordSuccess } from "../store/health";
import { StagedRows } from "../store/staged-rows";
import { turnOnWholeReuse, wholeReuseAllowed } from "../store/whole-reuse";
import { INSERTS_PER_TURN, PACK_PIECES, Pacer, SCANNED_ROWS } from "../pacing";
import { ObjectWalk } from "../walk/enumerate";
import { graphFor } from "../graph/build";
import { SendSet } from "../walk/send-set";

/** Replaced packs stay readable this long, for requests that located objects in them before the repack. */
export const RETIRED_GRACE_MS = 15 * 60_000;

export interface RepackReport {
  repacked: boolean;
  /** What was done, or why nothing was. */
  reason: string;
  packsBefore: number;
  reachable: number;
  unreachable: number;
}

/** What one Durable Object may store: the new packs are written before the old ones go. */
const STORAGE_CEILING_BYTES = 10e9;

const running = new WeakMap<Repository, Promise<RepackReport>>();

/**
 * Repacks unless the stored packs can already be sent whole; one run at a time per repository. A run
 * that fails (data it cannot read) is recorded (store/health.ts) and answered, never thrown, and is
 * not tried again while the refs stay as they were when it failed. `op`, the run's record, is told the
 * objects written and any failure.
 */
export async function repack(repo: Repository, op?: Operation, now = Date.now()): Promise<RepackReport> {
  let run = running.get(repo);
  if (!run) {
    run = guardedRepack(repo, now).finally(() => running.delete(repo));
    running.set(repo, run);
  }
  const report = await run;
  if (op) {
    op.objectsOut = report.reachable + report.unreachable;
    if (report.reason.startsWith("failed:")) op.fail(new StorageError(report.reason));
  }
  return report;
}

async function guardedRepack(repo: Repository, now: number): Promise<RepackReport> {
  const seq = repo.refs.lastSeq();
  const failed = lastFailure(repo.sql, "housekeeping");
  const packsBefore = repo.packs.all().filter((p) => p.state !== "retired").length;
  const nothing = { repacked: false, packsBefore, reachable: 0, unreachable: 0 };
  if (failed && failed.seq === seq) return { ...nothing, reason: `not retried: it failed at ${failed.at} (${failed.error}) and the refs have not changed since` };
  try {
    const report = await repackOnce(repo, now);
    recordSuccess(repo.sql, "housekeeping", report.repacked ? `repacked ${report.packsBefore} packs: ${report.reachable} reachable objects, ${report.unreachable} unreachable` : report.reason);
    return report;
  } catch (e) {
    recordFailure(repo.sql, "housekeeping", e, seq);
    return { ...nothing, reason: `failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Drops the packs retired at least RETIRED_GRACE_MS before `now`; returns whether any retired pack is left. */
export async function dropRetired(repo: Repository, now: number): Promise<boolean> {
  for (const id of repo.packs.retiredBy(now - RETIRED_GRACE_MS)) await repo.store.dropPack(id);
  return repo.packs.retiredBy(Number.MAX_SAFE_INTEGER).length > 0;
}

async function repackOnce(repo: Repository, now: number): Promise<RepackReport> {
  const old = repo.packs.all().filter((p) => p.state !== "retired");
  const report: RepackReport = { repacked: false, reason: "", packsBefore: old.length, reachable: 0, unreachable: 0 };
  if (wholeReuseAllowed(repo.sql)) return { ...report, reason: "the stored packs hold exactly the reachable objects" };
  if (!allLiveAndHot(repo, old)) return { ...report, reason: "a pack is being written or archived, or is in R2" };
  const copy = old.reduce((n, p) => n + p.bytes, 0);
  if (repo.sql.databaseSize + copy > STORAGE_CEILING_BYTES) return { ...report, reason: "a copy of the packs would not fit in the 10 GB a Durable Object may store" };
  const before = { seq: repo.refs.lastSeq(), pack: Math.max(0, ...old.map((p) => p.id)) };

  const walk = new ObjectWalk(repo.store, null, graphFor(repo));
  const tips = [...new Set(repo.refs.all().values())];
  if (tips.length > 0) {
    await walk.selectCommits(tips, []);
    await walk.collectObjects();
  }
  const reachable = walk.sending;
  const rest = new SendSet();
  const scan = new Pacer(SCANNED_ROWS);
  for (const loc of repo.store.inStoredOrder()) {
    if (!reachable.has(loc.oid)) rest.add(loc.oid);
    await scan.step();
  }

  const written: number[] = [];
  try {
    if (reachable.count > 0) written.push(await storePack(repo, reachable));
    // The rest may keep deltas on reachable objects: this pack is never sent on its own.
    if (rest.count > 0) written.push(await storePack(repo, rest, (oid) => reachable.has(oid) || rest.has(oid)));
  } catch (e) {
    for (const id of written) await repo.store.dropPack(id);
    throw e;
  }
  const quiet = repo.transaction((): boolean | null => {
    if (!allLiveAndHot(repo, old)) return null;
    for (const id of written) repo.packs.markLive(id);
    for (const pack of old) repo.packs.retire(pack.id, now);
    // A ref update or a push meanwhile may have left the new packs short of exactly the reachable set.
    const unchanged = repo.refs.lastSeq() === before.seq && repo.packs.all().every((p) => p.id <= before.pack || written.includes(p.id));
    if (unchanged) turnOnWholeReuse(repo.sql, rest.count > 0 ? written[written.length - 1]! : null);
    return unchanged;
  });
  if (quiet === null) {
    for (const id of written) await repo.store.dropPack(id);
    return { ...report, reason: "a pack began to be archived meanwhile" };
  }
  repo.store.forget();
  const counts = { reachable: reachable.count, unreachable: rest.count };
  if (!quiet) return { ...report, ...counts, repacked: true, reason: "repacked, but refs or packs changed meanwhile: full clones walk until the next repack" };
  return { ...report, ...counts, repacked: true, reason: "repacked: full clones are served from the stored packs whole" };
}

function allLiveAndHot(repo: Repository, packs: { id: number }[]): boolean {
  return packs.every((p) => {
    const pack = repo.packs.get(p.id);
    return pack?.state === "live" && pack.tier === "hot";
  });
}

/** Writes a pack of `objects` from their stored entries, with its index rows; returns its id, sealed and incoming. */
async function storePack(repo: Repository, objects: PackObjects, hasBase?: (oid: string) => boolean): Promise<number> {
  const { id, writer } = repo.packs.beginIncoming();
  try {
    const staged = new StagedRows(id, Math.min(objects.count, ROWS_PER_BATCH));
    const stats: PackStats = { reused: 0, deltas: 0, recompressed: 0 };
    const inserts = new Pacer(INSERTS_PER_TURN);
    const onEntry = async (entry: IndexedEntry) => {
      staged.add(entry);
      if (staged.full) await repo.store.insertStaged(staged, inserts);
    };
    let last: Uint8Array = new Uint8Array(0);
    const pieces = new Pacer(PACK_PIECES);
    for await (const piece of writePack(repo.store, objects, stats, { hasBase, onEntry, bigObjectBytes: repo.settings.objects.bigBytes })) {
      writer.write(piece);
      last = piece;
      await pieces.step();
    }
    await repo.store.insertStaged(staged, inserts);
    // The last piece is the trailer, the pack's SHA-1.
    repo.packs.seal(id, objects.count, bytesToHex(last));
    return id;
  } catch (e) {
    await repo.store.dropPack(id);
    throw e;
  }
}
