// The ref side of a push: each command checked against ref names, file/directory conflicts, the
// store, connectivity and the repository's rules, then every accepted update applied in one
// transaction that compare-and-swaps each ref against the client's old oid.
import { protectionRefusal, type ProtectionRule } from "../access/protection";
import { OBJ_COMMIT } from "../pack/types";
import { ZERO_OID } from "../protocol/oid";
import { checkRefName } from "../protocol/refname";
import type { RefCommand } from "../protocol/update-request";
import type { NewRefEvent, RefEventKind } from "../refs/log";
import { matchesAny } from "../refs/policy";
import { recordPush } from "../refs/pushes";
import type { Repository } from "../repository";
import { noteRefEvents, turnOffWholeReuse, wholeReuseAllowed } from "../store/whole-reuse";
import type { ConnectivityCheck } from "../walk/connectivity";

export interface Decision {
  command: RefCommand;
  kind: RefEventKind;
  reason: string | null;
}

/**
 * Refs that would be a file and a directory at once (refs/heads/a beside refs/heads/a/b), which no
 * clone could check out: against the stored refs, and between the refs this push creates. Refs the
 * push deletes do not count. Returns the refusal for each command that has one, in git's words.
 */
export function nameConflicts(repo: Repository, commands: RefCommand[]): Map<string, string> {
  const deleted = new Set(commands.filter((c) => c.newOid === ZERO_OID).map((c) => c.ref));
  const created = commands.filter((c) => c.newOid !== ZERO_OID && c.oldOid === ZERO_OID).map((c) => c.ref);
  const reasons = new Map<string, string>();
  for (const ref of created) {
    const stored = storedClash(repo, ref, deleted);
    const other = created.find((o) => o !== ref && (o.startsWith(`${ref}/`) || ref.startsWith(`${o}/`)));
    if (stored) reasons.set(ref, stored);
    else if (other) reasons.set(ref, `cannot process '${ref}' and '${other}' at the same time`);
  }
  return reasons;
}

/** git's refusal when a stored ref other than those `deleted` clashes with `ref` as file and directory, or null. */
function storedClash(repo: Repository, ref: string, deleted: Set<string>): string | null {
  const clash = repo.refs.conflicting(ref).find((other) => !deleted.has(other));
  return clash ? `cannot lock ref '${ref}': '${clash}' exists; cannot create '${ref}'` : null;
}

/** Checks one command against the ref rules, the store and the policy; nothing is written yet. */
export async function decide(repo: Repository, command: RefCommand, packId: number | undefined, connectivity: ConnectivityCheck, protection: ProtectionRule[]): Promise<Decision> {
  const { ref, oldOid, newOid } = command;
  const kind: RefEventKind = oldOid === ZERO_OID ? "create" : newOid === ZERO_OID ? "delete" : "update";
  const fail = (reason: string): Decision => ({ command, kind, reason });
  const nameProblem = checkRefName(ref);
  if (nameProblem) return fail(nameProblem);
  const current = repo.refs.get(ref) ?? ZERO_OID;
  if (current !== oldOid) return fail(current === ZERO_OID ? "stale info: the ref does not exist" : `stale info: the ref is at ${current}`);
  if (newOid === ZERO_OID) return { command, kind, reason: protectionRefusal(protection, ref, "delete") };
  if ((await connectivity.missingFrom(newOid)) !== null) return fail("missing necessary objects");
  if (ref.startsWith("refs/heads/") && repo.store.locate(newOid, packId)?.type !== OBJ_COMMIT) return fail("branches must point to commits");
  if (kind === "create") return { command, kind, reason: null };
  const fastForward = await isFastForward(repo, oldOid, newOid, packId);
  if (fastForward) return { command, kind, reason: null };
  if (matchesAny(ref, repo.settings.denyNonFastForward)) return fail("non-fast-forward");
  return { command, kind: "force", reason: protectionRefusal(protection, ref, "force") };
}

async function isFastForward(repo: Repository, oldOid: string, newOid: string, packId: number | undefined): Promise<boolean> {
  const isCommit = (oid: string) => repo.store.locate(oid, packId)?.type === OBJ_COMMIT;
  if (!isCommit(oldOid) || !isCommit(newOid)) return false;
  return repo.isDescendent(newOid, oldOid, packId);
}

export interface ApplyContext {
  pushId: string;
  repoName: string;
  actor: string;
  actorId: string | null;
  packId: number | undefined;
  options: string[];
  atomic: boolean;
  /** Whether the pack holds an object twice, or one already stored. */
  duplicates: boolean;
}

/**
 * Compare-and-swaps the accepted updates, appends their events and makes the pack live, all in one
 * transaction. A ref that moved since `decide` fails with "stale info" (and with --atomic, so do all).
 * Returns whether any ref changed.
 */
export function applyDecisions(repo: Repository, decisions: Decision[], ctx: ApplyContext): boolean {
  return repo.transaction(() => {
    const deleted = new Set(decisions.filter((d) => !d.reason && d.command.newOid === ZERO_OID).map((d) => d.command.ref));
    for (const d of decisions) {
      if (!d.reason && (repo.refs.get(d.command.ref) ?? ZERO_OID) !== d.command.oldOid) d.reason = "stale info: the ref moved during the push";
      // A ref another push created meanwhile may clash with this one as file and directory.
      if (!d.reason && d.kind === "create") d.reason = storedClash(repo, d.command.ref, deleted);
    }
    if (ctx.atomic && decisions.some((d) => d.reason)) for (const d of decisions) d.reason ??= "atomic transaction failed";
    const accepted = decisions.filter((d) => !d.reason);
    if (accepted.length === 0) return false;
    const events: NewRefEvent[] = accepted.map((d) => ({
      pushId: ctx.pushId,
      ref: d.command.ref,
      oldOid: d.command.oldOid,
      newOid: d.command.newOid,
      kind: d.kind,
      actor: ctx.actor,
      actorId: ctx.actorId,
    }));
    const at = Date.now();
    repo.create(ctx.repoName);
    noteRefEvents(repo.sql, repo.refs.append(events, at));
    if (ctx.packId !== undefined) {
      repo.packs.markLive(ctx.packId);
      noteWholeReuse(repo, ctx.duplicates || accepted.length < decisions.length);
    }
    recordPush(repo.sql, { id: ctx.pushId, actor: ctx.actor, at, packId: ctx.packId ?? null, options: ctx.options });
    repo.refs.repointHead(accepted.filter((d) => d.kind === "create").map((d) => d.command.ref));
    return true;
  });
}

/** Whole-pack reuse (store/whole-reuse.ts) ends when a live pack may hold unreachable or twice-stored objects. */
function noteWholeReuse(repo: Repository, partly: boolean): void {
  if (partly && wholeReuseAllowed(repo.sql)) turnOffWholeReuse(repo.sql, "a push was partly rejected or resent an object");
}
