// POST refs/restore {"ref", "seq", "oldOid"?}: sets a ref back to its value right after event `seq` by one
// "restore" event of the caller (201); a ref already at that value is left alone (200, "event": null).
import { isOid, ZERO_OID } from "../protocol/oid";
import { checkRefName } from "../protocol/refname";
import { eventExists, refAsOf } from "../refs/as-of";
import type { RefEvent } from "../refs/log";
import { noteRefEvents } from "../store/whole-reuse";
import type { ApiContext } from "./context";
import { readJsonObject } from "./body";
import { ApiError } from "../errors";
import { eventJson } from "./event-json";
import { badParameter, parseSeq } from "./params";

const FIELDS = ["ref", "seq", "oldOid"];

export async function postRestore({ repo, request, actor }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request);
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badParameter(key, `unknown field; the body has ${FIELDS.join(", ")}`);
  const ref = body.ref;
  if (typeof ref !== "string") throw badParameter("ref", "a ref name (string) is required");
  const problem = checkRefName(ref);
  if (problem) throw badParameter("ref", problem);
  if (typeof body.seq !== "number") throw badParameter("seq", "an event seq (number) is required");
  const seq = parseSeq("seq", body.seq);
  if (!eventExists(repo.sql, seq)) throw badParameter("seq", `there is no event ${seq} in the log`);
  const expected = body.oldOid;
  if (expected !== undefined && (typeof expected !== "string" || !isOid(expected))) throw badParameter("oldOid", "must be a 40-digit lowercase hex object id (40 zeros: the ref must not exist)");
  const target = refAsOf(repo.sql, ref, seq);

  // Everything from reading the current value to appending the event is one synchronous transaction:
  // the compare-and-swap cannot interleave with a push.
  const event = repo.transaction((): RefEvent | null => {
    const current = repo.refs.get(ref) ?? ZERO_OID;
    if (expected !== undefined && current !== expected) throw new ApiError(409, "ref moved", { ref, expected, current });
    if (current === target) return null;
    if (target !== ZERO_OID && !repo.store.has(target)) throw new ApiError(409, "target object is no longer stored", { ref, seq, oid: target });
    const [written] = noteRefEvents(repo.sql, repo.refs.append([{ pushId: crypto.randomUUID(), ref, oldOid: current, newOid: target, kind: "restore", actor }]));
    repo.refs.repointHead(current === ZERO_OID ? [ref] : []);
    return written!;
  });
  return Response.json({ ref, oid: target, event: event && eventJson(event) }, { status: event ? 201 : 200 });
}
