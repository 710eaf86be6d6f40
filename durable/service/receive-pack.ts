// git-receive-pack over smart HTTP (gitprotocol-pack.adoc, "Pushing Data To a Server"): read the
// commands, stream the pack into an incoming pack while indexing it, check connectivity, then apply
// every accepted ref update in one transaction and report the status through side-band.
import { ingestPack } from "../store/ingest";
import { checkRefName } from "../protocol/refname";
import { ZERO_OID } from "../protocol/oid";
import { concatBytes, FLUSH, type Pkt } from "../protocol/pktline";
import { PktStreamReader } from "../protocol/pkt-stream";
import type { ChunkSource } from "../protocol/chunk-source";
import { encodeReportStatus, type RefResult } from "../protocol/report-status";
import { sidebandFrame } from "../protocol/sideband";
import { parsePushOptions, parseUpdateRequest, type RefCommand } from "../protocol/update-request";
import { ApiError, describe, errorResponse, ProtocolError, ServerError } from "../errors";
import { matchesAny } from "../refs/policy";
import type { NewRefEvent, RefEventKind } from "../refs/log";
import type { Repository } from "../repository";
import type { Principal } from "../access/principal";
import { protectionRefusal, type ProtectionRule } from "../access/protection";
import { currentSettings } from "../access/repo-settings";
import { OBJ_COMMIT } from "../pack/types";
import { ConnectivityCheck } from "../walk/connectivity";
import { PackClosure } from "../walk/pack-closure";
import { recordPush } from "../refs/pushes";
import { noteRefEvents, turnOffWholeReuse, wholeReuseAllowed } from "../store/whole-reuse";

export interface PushContext {
  principal: Principal;
  /** owner/name, recorded when the first push creates the repository. */
  repoName: string;
}

interface Decision {
  command: RefCommand;
  kind: RefEventKind;
  reason: string | null;
}

const RESULT_TYPE = "application/x-git-receive-pack-result";

export async function receivePack(repo: Repository, body: ReadableStream<Uint8Array>, push: PushContext): Promise<Response> {
  const reader = new PktStreamReader(body);
  let lines: Uint8Array[];
  try {
    lines = await readSection(reader);
  } catch (e) {
    return gitError(e);
  }
  if (lines.length === 0) return new Response(null, { headers: { "Content-Type": RESULT_TYPE } });
  let request: ReturnType<typeof parseUpdateRequest>;
  let options: string[] = [];
  try {
    request = parseUpdateRequest(lines);
    if (request.capabilities.has("push-options")) options = parsePushOptions(await readSection(reader));
  } catch (e) {
    return gitError(e);
  }
  const caps = request.capabilities;
  const reply = (unpack: string, results: RefResult[]) => reportResponse(caps, unpack, results);

  let packId: number | undefined;
  const closure = new PackClosure();
  if (request.commands.some((c) => c.newOid !== ZERO_OID)) {
    const unpackError = await receivePackfile(repo, reader.rest(), closure);
    if (typeof unpackError === "string") {
      return reply(unpackError, request.commands.map((c) => ({ ref: c.ref, ok: false, reason: "unpacker error" })));
    }
    packId = unpackError;
  }

  const decisions: Decision[] = [];
  const closed = packId === undefined || closure.firstMissing(repo.store, packId) === null;
  const connectivity = new ConnectivityCheck(repo.store, packId, closed);
  const { protection } = currentSettings(repo.sql);
  for (const command of request.commands) decisions.push(await decide(repo, command, packId, connectivity, protection));
  if (caps.has("atomic") && decisions.some((d) => d.reason)) {
    for (const d of decisions) d.reason ??= "atomic transaction failed";
  }

  const pushId = crypto.randomUUID();
  const context = { pushId, actor: push.principal.actor, actorId: push.principal.actorId, repoName: push.repoName, packId, options, atomic: caps.has("atomic"), duplicates: closure.duplicates > 0 };
  const applied = applyDecisions(repo, decisions, context);
  if (!applied && packId !== undefined) {
    repo.store.dropPack(packId);
  }
  return reply(
    "ok",
    decisions.map((d) => (d.reason ? { ref: d.command.ref, ok: false, reason: d.reason } : { ref: d.command.ref, ok: true })),
  );
}

/** Data lines up to the next flush. */
async function readSection(reader: PktStreamReader): Promise<Uint8Array[]> {
  const lines: Uint8Array[] = [];
  for (;;) {
    const pkt: Pkt | null = await reader.read();
    if (!pkt || pkt.kind === "flush") return lines;
    if (pkt.kind !== "data") throw new ProtocolError(`unexpected ${pkt.kind} packet in the command list`);
    lines.push(pkt.data);
  }
}

/** Streams the pack into a new incoming pack. Returns its id, or the unpack error text. */
async function receivePackfile(repo: Repository, source: ChunkSource, closure: PackClosure): Promise<number | string> {
  try {
    return await ingestPack(repo.packs, repo.store, source, repo.settings.maxPushBytes, closure);
  } catch (e) {
    if (!(e instanceof ServerError) || e.status >= 500) console.error("push failed while indexing", e);
    return describe(e).error;
  }
}

/** Checks one command against the ref rules, the store and the policy; nothing is written yet. */
async function decide(repo: Repository, command: RefCommand, packId: number | undefined, connectivity: ConnectivityCheck, protection: ProtectionRule[]): Promise<Decision> {
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

interface ApplyContext {
  pushId: string;
  repoName: string;
  actor: string;
  actorId: string | null;
  packId: number | undefined;
  options: string[];
  atomic: boolean;
  /** Whether the pack holds an object twice. */
  duplicates: boolean;
}

/**
 * Compare-and-swaps the accepted updates, appends their events and makes the pack live, all in one
 * transaction. A ref that moved since `decide` fails with "stale info" (and with --atomic, so do all).
 * Returns whether any ref changed.
 */
function applyDecisions(repo: Repository, decisions: Decision[], ctx: ApplyContext): boolean {
  return repo.transaction(() => {
    for (const d of decisions) {
      if (!d.reason && (repo.refs.get(d.command.ref) ?? ZERO_OID) !== d.command.oldOid) d.reason = "stale info: the ref moved during the push";
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
      noteWholeReuse(repo, ctx.packId, ctx.duplicates || accepted.length < decisions.length);
    }
    recordPush(repo.sql, { id: ctx.pushId, actor: ctx.actor, at, packId: ctx.packId ?? null, options: ctx.options });
    repo.refs.repointHead(accepted.filter((d) => d.kind === "create").map((d) => d.command.ref));
    return true;
  });
}

/** Whole-pack reuse (store/whole-reuse.ts) ends when a live pack may hold unreachable or twice-stored objects. */
function noteWholeReuse(repo: Repository, packId: number, partly: boolean): void {
  if (!wholeReuseAllowed(repo.sql)) return;
  if (partly) turnOffWholeReuse(repo.sql, "a push was partly rejected or resent an object");
  else if (repo.packs.all().length > 1 && repo.store.sharesObjects(packId)) turnOffWholeReuse(repo.sql, "a push resent a stored object");
}

function reportResponse(caps: Map<string, string | true>, unpack: string, results: RefResult[]): Response {
  const wantsReport = caps.has("report-status") || caps.has("report-status-v2");
  const report = wantsReport ? encodeReportStatus(unpack, results) : new Uint8Array(0);
  const body = caps.has("side-band-64k") || caps.has("side-band")
    ? concatBytes([sidebandFrame(1, report, caps.has("side-band-64k") ? 65515 : 995), FLUSH])
    : report;
  return new Response(body, { headers: { "Content-Type": RESULT_TYPE, "Cache-Control": "no-cache" } });
}

/** A command list that does not parse: 400 with a JSON body; nothing was stored. */
function gitError(e: unknown): Response {
  if (!(e instanceof ProtocolError)) throw e;
  return errorResponse(new ApiError(400, "malformed push request", e.message));
}
