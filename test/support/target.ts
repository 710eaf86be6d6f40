// Chooses the server the end-to-end suite runs against: our worker (default), or with E2E_TARGET=cgit
// C git's http-backend, against which the suite itself is validated.
import { startCgit, startWorker, type RunningServer } from "../../bench/harness/server";

export type TargetName = "worker" | "cgit";

export interface TargetOptions {
  /** Refuse non-fast-forward updates of refs/heads/main (cgit: receive.denyNonFastForwards, for every branch). */
  denyNonFastForward?: boolean;
  /** The worker only: start it as the README says, `npm start -- --port N --var K:V`. */
  npmStart?: boolean;
  /** The worker only: vars to start it with. */
  vars?: Record<string, string>;
}

export function targetName(): TargetName {
  const name = process.env.E2E_TARGET ?? "worker";
  if (name !== "worker" && name !== "cgit") throw new Error(`E2E_TARGET must be "worker" or "cgit", not ${JSON.stringify(name)}`);
  return name;
}

export function startTarget(opts: TargetOptions = {}): Promise<RunningServer> {
  if (targetName() === "cgit") return startCgit({ denyNonFastForwards: opts.denyNonFastForward });
  return startWorker({ vars: { ...opts.vars, ...(opts.denyNonFastForward ? { DENY_NON_FAST_FORWARD: "refs/heads/main" } : {}) }, npmStart: opts.npmStart });
}
