// GET import: the state of the import that fills this repository (queued, running, done or failed),
// the remote's URL, the protocol it spoke, the refs fetched, the pack bytes received so far, and the
// error of a failed one; 404 for a repository no import made.
import { ApiError } from "../errors";
import { importState } from "../lifecycle/import-state";
import type { ApiContext } from "./context";
import { isoTime } from "./event-json";
import { readQuery } from "./params";

export function getImport({ repo, url }: ApiContext): Response {
  readQuery(url, []);
  const state = importState(repo);
  if (!state) throw new ApiError(404, "this repository was not made by an import");
  const time = (ms: number | null) => (ms === null ? null : isoTime(ms));
  return Response.json({ ...state, queuedAt: time(state.queuedAt), startedAt: time(state.startedAt), finishedAt: time(state.finishedAt) });
}
