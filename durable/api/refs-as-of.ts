// GET refs: the current refs, or with ?at=<seq|ISO time> the refs right after that event or at that
// moment, computed from the log. `seq` in the answer is the last event the refs include.
import { refsAsOf, seqAtTime } from "../refs/as-of";
import type { ApiContext } from "./context";
import { parseAt, readQuery } from "./params";

export function getRefs({ repo, url }: ApiContext): Response {
  const at = readQuery(url, ["at"]).get("at");
  const last = repo.refs.lastSeq();
  let seq = last;
  if (at !== undefined) {
    const point = parseAt(at);
    seq = Math.min(last, "seq" in point ? point.seq : seqAtTime(repo.sql, point.time));
  }
  const refs = seq === last ? repo.refs.all() : refsAsOf(repo.sql, seq);
  return Response.json({ seq, head: repo.refs.head(), refs: Object.fromEntries(refs) });
}
