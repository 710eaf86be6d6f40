// Imports, as the repository keeps them: a new repository whose branches and tags an import job
// (worker/imports/) fetches from a remote and pushes into it through the same receive-pack as any
// push. The job's state and progress are kept in meta `import` (JSON), which GET import shows. A
// mirror (`"mirror": true`) is fetched again by every scheduled run and takes no other pushes; only a
// mirror keeps what its next fetch needs (meta `mirror_source`: the remote's token, which GET never
// shows, and who imported it); a one-time import's token lives only in its job's message.
import type { Principal } from "../access/principal";
import type { Repository } from "../repository";
import { metaGet, metaSet } from "../store/meta";
import { setUp, type RepoSpec } from "./set-up";

/** The header the Worker sets on an import job's push (and drops from any request a client sends). */
export const IMPORT_HEADER = "X-Import-Push";

/** A running job that has said nothing for this long is taken as lost; the next scheduled run queues the mirror again. */
const LOST_AFTER_MS = 60 * 60 * 1000;

export interface ImportState {
  state: "queued" | "running" | "done" | "failed";
  url: string;
  mirror: boolean;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** git protocol version the remote spoke. */
  protocol: 0 | 2 | null;
  /** Branches and tags the remote has. */
  refs: number;
  /** Refs the last run created, moved or deleted. */
  updated: number;
  /** Pack bytes received so far. */
  bytes: number;
  error: string | null;
}

/** What the job is queued with, and what a mirror keeps of it for the next run. */
export interface ImportSource {
  target: string;
  url: string;
  token?: string;
  by: Principal;
}

export function importState(repo: Repository): ImportState | null {
  const json = metaGet(repo.sql, "import");
  return json === undefined ? null : (JSON.parse(json) as ImportState);
}

export function updateImport(repo: Repository, change: Partial<ImportState>): ImportState | null {
  const current = importState(repo);
  if (!current) return null;
  const next = { ...current, ...change };
  metaSet(repo.sql, "import", JSON.stringify(next));
  return next;
}

/** A job starts: false when there is nothing for it to do (no import, or a one-time import that is done, delivered twice). */
export function beginImport(repo: Repository, now = Date.now()): boolean {
  const state = importState(repo);
  if (!state || (!state.mirror && state.state === "done")) return false;
  updateImport(repo, { state: "running", startedAt: now, finishedAt: null, error: null, bytes: 0, updated: 0 });
  return true;
}

/** The remote a mirror follows; null for any other repository. */
export function mirrorOf(repo: Repository): string | null {
  const state = importState(repo);
  return state?.mirror ? state.url : null;
}

/** The new repository an import fills; false when the name was taken. */
export function setUpImport(repo: Repository, spec: RepoSpec, source: ImportSource, mirror: boolean, now = Date.now()): boolean {
  if (!setUp(repo, source.target, spec, source.by)) return false;
  const state: ImportState = { state: "queued", url: source.url, mirror, queuedAt: now, startedAt: null, finishedAt: null, protocol: null, refs: 0, updated: 0, bytes: 0, error: null };
  metaSet(repo.sql, "import", JSON.stringify(state));
  if (mirror) metaSet(repo.sql, "mirror_source", JSON.stringify({ token: source.token, by: source.by }));
  return true;
}

/** The scheduled run's job for a mirror, marked queued; null when it is not a mirror or its job is still queued or running. */
export function queueMirror(repo: Repository, now = Date.now()): ImportSource | null {
  const state = importState(repo);
  const kept = metaGet(repo.sql, "mirror_source");
  if (!state?.mirror || kept === undefined) return null;
  const busySince = state.state === "running" ? state.startedAt : state.state === "queued" ? state.queuedAt : null;
  if (busySince !== null && now - busySince < LOST_AFTER_MS) return null;
  updateImport(repo, { state: "queued", queuedAt: now });
  const { token, by } = JSON.parse(kept) as Pick<ImportSource, "token" | "by">;
  return { target: repo.name(), url: state.url, token, by };
}
