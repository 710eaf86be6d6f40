// Failures of background work (housekeeping, archival), kept in `meta` so that GET storage shows
// them. A job that meets data it cannot handle records why and stops, instead of throwing on every
// retry: housekeeping is not tried again until the refs change, archival gives up after the queue's
// retries. A later success clears the record.
import { metaDelete, metaGet, metaSet } from "./meta";

export type Job = "housekeeping" | "archive";

export interface JobFailure {
  /** ISO time of the failure. */
  at: string;
  error: string;
  /** The last ref event when it failed. */
  seq: number;
}

const KEYS = { housekeeping: "housekeeping_failure", archive: "archive_failure" } as const;

export function recordFailure(sql: SqlStorage, job: Job, error: unknown, seq: number): void {
  const failure: JobFailure = { at: new Date().toISOString(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), seq };
  metaSet(sql, KEYS[job], JSON.stringify(failure));
}

export function clearFailure(sql: SqlStorage, job: Job): void {
  metaDelete(sql, KEYS[job]);
}

export function lastFailure(sql: SqlStorage, job: Job): JobFailure | null {
  const value = metaGet(sql, KEYS[job]);
  return value === undefined ? null : (JSON.parse(value) as JobFailure);
}
