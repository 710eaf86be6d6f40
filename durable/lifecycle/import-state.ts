// Imports, as the repository keeps them: a new repository whose branches and tags an import job
// (worker/imports/) fetches from a remote and pushes into it through the same receive-pack as any
// push. The job's state and progress are kept in meta `import` (JSON), which GET import shows; the
// remote's token is never kept.
import type { Principal } from "../access/principal";
import type { Repository } from "../repository";
import { metaGet, metaSet } from "../store/meta";
import { setUp, type RepoSpec } from "./set-up";

/** The header the Worker sets on an import job's push (and drops from any request a client sends). */
export const IMPORT_HEADER = "X-Import-Push";

export interface ImportState {
  state: "queued" | "running" | "done" | "failed";
  url: string;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** git protocol version the remote spoke. */
  protocol: 0 | 2 | null;
  /** Branches and tags fetched. */
  refs: number;
  /** Pack bytes received so far. */
  bytes: number;
  error: string | null;
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

/** The new repository an import fills; false when the name was taken. */
export function setUpImport(repo: Repository, name: string, spec: RepoSpec, by: Principal, url: string, now = Date.now()): boolean {
  if (!setUp(repo, name, spec, by)) return false;
  const state: ImportState = { state: "queued", url, queuedAt: now, startedAt: null, finishedAt: null, protocol: null, refs: 0, bytes: 0, error: null };
  metaSet(repo.sql, "import", JSON.stringify(state));
  return true;
}
