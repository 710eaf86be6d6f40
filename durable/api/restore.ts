// POST refs/restore {"ref", "seq", "oldOid"?, "force"?}: sets a ref back to its value right after event
// `seq` by one "restore" event of the caller (201); a ref already at that value is left alone (200,
// "event": null). The repository's protection rules apply as to a push, unless "force": true; a forced
// restore that overrode a rule is recorded as a push with the option "force", so the log shows it.
import { protectionRefusal } from "../access/protection";
import { currentSettings } from "../access/repo-settings";
import { isOid, ZERO_OID } from "../protocol/oid";
import { checkRefName } from "../protocol/refname";
import { eventExists, refAsOf } from "../refs/as-of";
import type { RefEvent } from "../refs/log";
import { recordPush } from "../refs/pushes";
import type { Repository } from "../repository";
import { noteRefEvents } from "../store/whole-reuse";
import type { ApiContext } from "./context";
import { readJsonObject } from "./body";
import { ApiError } from "../errors";
import { eventJson } from "./event-json";
import { badParameter, parseSeq } from "./params";

const FIELDS = ["ref", "seq", "oldOid", "force"];

export async function postRestore({ repo, request, principal }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request, repo.settings.limits.apiBodyBytes);
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
  if (body.force !== undefined && typeof body.force !== "boolean") throw badParameter("force", "must be true or false");
  const target = refAsOf(repo.sql, ref, seq);
  const before = repo.refs.get(ref) ?? ZERO_OID;
  const refusal = await protectionOf(repo, ref, before, target);
  if (refusal && body.force !== true) throw new ApiError(409, refusal, { ref, hint: 'an admin may override the rule with "force": true' });
  const pushId = crypto.randomUUID();

  // Everything from reading the current value to appending the event is one synchronous transaction:
  // the compare-and-swap cannot interleave with a push.
  const event = repo.transaction((): RefEvent | null => {
    const current = repo.refs.get(ref) ?? ZERO_OID;
    if (expected !== undefined && current !== expected) throw new ApiError(409, "ref moved", { ref, expected, current });
    if (current === target) return null;
    if (current !== before) throw new ApiError(409, "ref moved", { ref, expected: before, current });
    if (target !== ZERO_OID && !repo.store.has(target)) throw new ApiError(409, "target object is no longer stored", { ref, seq, oid: target });
    const [written] = noteRefEvents(repo.sql, repo.refs.append([{ pushId, ref, oldOid: current, newOid: target, kind: "restore", actor: principal.actor, actorId: principal.actorId }]));
    if (refusal) recordPush(repo.sql, { id: pushId, actor: principal.actor, at: written!.at, packId: null, options: ["force"] });
    repo.refs.repointHead(current === ZERO_OID ? [ref] : []);
    return written!;
  });
  return Response.json({ ref, oid: target, event: event && eventJson(event) }, { status: event ? 201 : 200 });
}

/** What a protection rule says against moving `ref` from `from` to `to` (a deletion, or a move off its history). */
async function protectionOf(repo: Repository, ref: string, from: string, to: string): Promise<string | null> {
  if (from === ZERO_OID || from === to) return null;
  const { protection } = currentSettings(repo.sql);
  if (to === ZERO_OID) return protectionRefusal(protection, ref, "delete");
  const forward = repo.store.has(to) && (await repo.isDescendent(to, from).catch(() => false));
  return forward ? null : protectionRefusal(protection, ref, "force");
}
