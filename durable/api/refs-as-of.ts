// GET refs: the current refs, or with ?at=<seq|ISO time> the refs right after that event or at that
// moment, computed from the log. `seq` in the answer is the last event the refs include.
import type { ApiContext } from "./context";
import { refView } from "./browse/view";
import { readQuery } from "./params";

export function getRefs({ repo, url }: ApiContext): Response {
  const view = refView(repo, readQuery(url, ["at"]).get("at"));
  return Response.json({ seq: view.seq, head: view.head, refs: Object.fromEntries(view.refs.all()) });
}
