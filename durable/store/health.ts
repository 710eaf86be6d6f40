// Failures and last runs of background work (housekeeping, archival), kept in `meta` so that GET
// storage and GET health show them. A job that meets data it cannot handle records why and stops,
// instead of throwing on every retry: housekeeping is not tried again until the refs change, archival
// gives up after the queue's retries. A later success clears the failure and records what it did.
import { metaDelete, metaGet, metaSet } from "./meta";

export type Job = "housekeeping" | "archive";

export interface JobFailure {
  /** ISO time of the failure. */
  at: string;
  error: string;
  /** The last ref event when it failed. */
  seq: number;
}

/** What the last successful run did. */
export interface JobRun {
  /** ISO time of the run's end. */
  at: string;
  summary: string;
}

const KEYS = { housekeeping: "housekeeping_failure", archive: "archive_failure" } as const;
const RUN_KEYS = { housekeeping: "housekeeping_last_run", archive: "archive_last_run" } as const;

export function recordFailure(sql: SqlStorage, job: Job, error: unknown, seq: number): void {
  const failure: JobFailure = { at: new Date().toISOString(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), seq };
  metaSet(sql, KEYS[job], JSON.stringify(failure));
}

/** A run that succeeded: its failure record goes, and what it did is kept. */
export function recordSuccess(sql: SqlStorage, job: Job, summary: string): void {
  metaDelete(sql, KEYS[job]);
  metaSet(sql, RUN_KEYS[job], JSON.stringify({ at: new Date().toISOString(), summary } satisfies JobRun));
}

export function lastRun(sql: SqlStorage, job: Job): JobRun | null {
  const value = metaGet(sql, RUN_KEYS[job]);
  return value === undefined ? null : (JSON.parse(value) as JobRun);
}

export function lastFailure(sql: SqlStorage, job: Job): JobFailure | null {
  const value = metaGet(sql, KEYS[job]);
  return value === undefined ? null : (JSON.parse(value) as JobFailure);
}
