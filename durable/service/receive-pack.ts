// git-receive-pack over smart HTTP (gitprotocol-pack.adoc, "Pushing Data To a Server"): read the
// commands, stream the pack into an incoming pack while indexing it, check connectivity, then apply
// every accepted ref update in one transaction (push-decisions.ts) and report the status through
// side-band. Whatever the answer, the request body is read to its end first, never left half read.
import { lockRefusal, othersLocks } from "../lfs/lock-check";
import { currentSettings } from "../access/repo-settings";
import type { Principal } from "../access/principal";
import { ApiError, describe, errorResponse, humanBytes, LimitError, ProtocolError, ServerError } from "../errors";
import type { ChunkSource } from "../protocol/chunk-source";
import { ZERO_OID } from "../protocol/oid";
import { PktStreamReader } from "../protocol/pkt-stream";
import { concatBytes, FLUSH, type Pkt } from "../protocol/pktline";
import { encodeReportStatus, type RefResult } from "../protocol/report-status";
import { progressPkt, sidebandFrame } from "../protocol/sideband";
import { parsePushOptions, parseUpdateRequest, type UpdateRequest } from "../protocol/update-request";
import type { Repository } from "../repository";
import { ingestPack, type IngestCounts } from "../store/ingest";
import type { Operation } from "../observe/operation";
import { requestIdLine } from "../observe/request-id";
import { wholeReuseAllowed } from "../store/whole-reuse";
import { ConnectivityCheck } from "../walk/connectivity";
import { oversizedLines } from "./oversized";
import { ObjectChecks } from "../walk/object-checks";
import { mismatchMessage, PackClosure } from "../walk/pack-closure";
import { applyDecisions, decide, nameConflicts, type Decision } from "./push-decisions";

export interface PushContext {
  principal: Principal;
  /** owner/name, recorded when the first push creates the repository. */
  repoName: string;
  /** The body's Content-Length when the client sent one: a push over the limit is refused before its pack is read. */
  declaredBytes?: number;
  /** The limit of the pack's bytes: MAX_IMPORT_BYTES for an import's push; MAX_PUSH_BYTES when not given. */
  maxBytes?: number;
  /** Registers the repository with the registry, before the push that creates it commits; the refusal when the name is taken by a deleted repository. */
  register?: () => Promise<string | null>;
  /** The push's record: objects received, the push id, refusals. */
  op?: Operation;
}

const RESULT_TYPE = "application/x-git-receive-pack-result";

export async function receivePack(repo: Repository, body: ReadableStream<Uint8Array>, push: PushContext): Promise<Response> {
  const reader = new PktStreamReader(body);
  try {
    return await receive(repo, reader, push);
  } finally {
    if (push.op) push.op.bytesIn = reader.bytesRead;
    await reader.discardRest();
  }
}

async function receive(repo: Repository, reader: PktStreamReader, push: PushContext): Promise<Response> {
  const limits = repo.settings.limits;
  let request: UpdateRequest;
  let options: string[] = [];
  try {
    const budget = { left: limits.commandBytes, limit: limits.commandBytes };
    const lines = await readSection(reader, budget);
    if (lines.length === 0) return new Response(null, { headers: { "Content-Type": RESULT_TYPE } });
    request = parseUpdateRequest(lines);
    if (request.capabilities.has("push-options")) options = parsePushOptions(await readSection(reader, budget));
  } catch (e) {
    return refusal(e);
  }
  const caps = request.capabilities;
  const reply = (unpack: string, results: RefResult[], messages: string[] = []) => reportResponse(caps, unpack, results, messages);
  const refuseAll = (unpack: string, ...messages: string[]) => {
    push.op?.refuse(unpack);
    const withId = [...messages, requestIdLine(push.op?.requestId)].filter(Boolean);
    return reply(unpack, request.commands.map((c) => ({ ref: c.ref, ok: false, reason: "unpacker error" })), withId);
  };

  if (request.notUtf8 !== null) return refuseAll("invalid ref name", `error: the ref name ${JSON.stringify(request.notUtf8)} is not valid UTF-8; this server stores UTF-8 ref names only`);
  const sendsPack = request.commands.some((c) => c.newOid !== ZERO_OID);
  const declared = push.declaredBytes ?? 0;
  const maxBytes = push.maxBytes ?? repo.settings.maxPushBytes;
  if (sendsPack && declared > maxBytes) {
    const message = `push is ${humanBytes(declared)}, over this server's limit of ${humanBytes(maxBytes)}; push in smaller pieces`;
    return refuseAll(message, message);
  }
  let packId: number | undefined;
  const closure = new PackClosure();
  const checks = new ObjectChecks(repo.settings.objectErrorsRefuse, repo.settings.objects.bigBytes);
  const counts: IngestCounts = { objects: 0, deltas: 0 };
  if (sendsPack) {
    const unpacked = await receivePackfile(repo, reader.rest(), maxBytes, closure, checks, counts, push.op);
    if (push.op) push.op.objectsIn = counts.objects;
    if (typeof unpacked === "string") return refuseAll(unpacked, unpacked);
    packId = unpacked;
    const refused = await objectRefusal(repo, packId, closure, checks, request.commands.map((c) => c.newOid));
    if (refused) {
      await repo.store.dropPack(packId);
      return refuseAll(refused.rule, ...refused.lines);
    }
  }

  const decisions: Decision[] = [];
  const closed = packId === undefined || (await closure.firstMissing(repo.store, packId)) === null;
  const connectivity = new ConnectivityCheck(repo.store, packId, closed);
  const { protection } = currentSettings(repo.sql);
  const conflicts = nameConflicts(repo, request.commands);
  const locks = othersLocks(repo, push.principal);
  for (const command of request.commands) {
    const conflict = conflicts.get(command.ref);
    const decision = conflict ? { command, kind: "create" as const, reason: conflict } : await decide(repo, command, packId, connectivity, protection);
    decision.reason ??= await lockRefusal(repo, command, locks, packId);
    decisions.push(decision);
  }
  if (caps.has("atomic") && decisions.some((d) => d.reason)) {
    for (const d of decisions) d.reason ??= "atomic transaction failed";
  }

  // A new repository is registered by a push with an update to apply; a deleted one is refused whatever it asks.
  if (!repo.exists() && (repo.created() || decisions.some((d) => !d.reason))) {
    const refusal = await push.register?.();
    if (refusal) for (const d of decisions) d.reason = refusal;
  }
  const pushId = crypto.randomUUID();
  // Before the ref transaction, which must stay short: whether the pack resends stored objects.
  const resent = packId !== undefined && wholeReuseAllowed(repo.sql) && repo.packs.all().length > 1 && (await repo.store.sharesObjects(packId));
  const context = { pushId, actor: push.principal.actor, actorId: push.principal.actorId, repoName: push.repoName, packId, options, atomic: caps.has("atomic"), duplicates: closure.duplicates > 0 || resent };
  const applied = applyDecisions(repo, decisions, context);
  if (!applied && packId !== undefined) await repo.store.dropPack(packId);
  const refused = decisions.filter((d) => d.reason);
  if (push.op) push.op.pushId = applied ? pushId : undefined;
  if (refused.length > 0) push.op?.refuse(`${refused.length} of ${decisions.length} ref updates refused, the first: ${refused[0].command.ref} (${refused[0].reason})`);
  return reply(
    "ok",
    decisions.map((d) => (d.reason ? { ref: d.command.ref, ok: false, reason: d.reason } : { ref: d.command.ref, ok: true })),
    [...(sendsPack && !caps.has("quiet") ? progressLines(counts) : []), ...checks.report(), ...(refused.length > 0 ? [requestIdLine(push.op?.requestId)].filter(Boolean) : [])],
  );
}

/**
 * What the push's pack went through, as git's receive-pack tells it. They come with the report, once
 * the whole pack is read: over HTTP the answer follows the request body.
 */
function progressLines(counts: IngestCounts): string[] {
  return [`Resolving deltas: 100% (${counts.deltas}/${counts.deltas}), done.`, `Checking connectivity and objects: ${counts.objects}, done.`];
}

/** Why the pack's objects cannot be stored: git's fsck rules, or a link to an object of the wrong type. */
async function objectRefusal(repo: Repository, packId: number, closure: PackClosure, checks: ObjectChecks, tips: string[]): Promise<{ rule: string; lines: string[] } | null> {
  // A malformed object refuses first: the paths of oversized files are found by parsing the pack's trees.
  if (!checks.refusal && checks.oversized.length > 0) return { rule: "file too large", lines: await oversizedLines(repo.store, packId, tips, checks.oversized, repo.settings.objects.maxBytes) };
  const refusal = checks.refusal ?? (await checks.finish(repo.store, packId));
  if (refusal) return { rule: refusal.problem.id, lines: [`error: object ${refusal.oid}: ${refusal.problem.id}: ${refusal.problem.message}`] };
  const mismatch = await closure.firstMismatch(repo.store, packId);
  if (mismatch) return { rule: "badObjectType", lines: [`error: object ${mismatch.oid}: badObjectType: ${mismatchMessage(mismatch)}`] };
  return null;
}

/** Data lines up to the next flush, counted against `budget` (the command list and push options share one). */
async function readSection(reader: PktStreamReader, budget: { left: number; limit: number }): Promise<Uint8Array[]> {
  const lines: Uint8Array[] = [];
  for (;;) {
    const pkt: Pkt | null = await reader.read();
    if (!pkt || pkt.kind === "flush") return lines;
    if (pkt.kind !== "data") throw new ProtocolError(`unexpected ${pkt.kind} packet in the command list`);
    budget.left -= pkt.data.length + 4;
    if (budget.left < 0) throw new LimitError(`the command list and push options are over this server's limit of ${humanBytes(budget.limit)}`);
    lines.push(pkt.data);
  }
}

/** Streams the pack into a new incoming pack. Returns its id, or the unpack error text. */
async function receivePackfile(repo: Repository, source: ChunkSource, maxBytes: number, closure: PackClosure, checks: ObjectChecks, counts: IngestCounts, op?: Operation): Promise<number | string> {
  try {
    const { objects } = repo.settings;
    return await ingestPack(repo.packs, repo.store, source, { maxBytes, bigObjectBytes: objects.bigBytes, maxObjectBytes: objects.maxBytes }, closure, checks, counts);
  } catch (e) {
    if (!(e instanceof ServerError) || e.status >= 500) op?.fail(e);
    return describe(e).error;
  }
}

/** The report, on side-band when the client asked for it, after `messages` as progress lines git shows as `remote: ...`. */
function reportResponse(caps: Map<string, string | true>, unpack: string, results: RefResult[], messages: string[]): Response {
  const wantsReport = caps.has("report-status") || caps.has("report-status-v2");
  const report = wantsReport ? encodeReportStatus(unpack, results) : new Uint8Array(0);
  const max = caps.has("side-band-64k") ? 65515 : 995;
  const body = caps.has("side-band-64k") || caps.has("side-band")
    ? concatBytes([...messages.map((m) => progressPkt(`${m}\n`)), sidebandFrame(1, report, max), FLUSH])
    : report;
  return new Response(body, { headers: { "Content-Type": RESULT_TYPE, "Cache-Control": "no-cache" } });
}

/** A command list that does not parse (400) or is too large (413), with a JSON body; nothing was stored. */
function refusal(e: unknown): Response {
  if (e instanceof ProtocolError) return errorResponse(new ApiError(400, "malformed push request", e.message));
  if (e instanceof LimitError) return errorResponse(e);
  throw e;
}
