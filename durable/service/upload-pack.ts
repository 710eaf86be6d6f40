// git-upload-pack over smart HTTP: stateless negotiation and the packfile, for protocol v0/v1
// (gitprotocol-pack.adoc, "Packfile Negotiation", multi_ack_detailed and no-done) and v2
// (gitprotocol-v2.adoc, "ls-refs", "fetch" and "object-info"), with partial clone's filters
// (technical-partial-clone.adoc), shallow requests (technical-shallow.adoc) and thin packs.
import { ackLine, encodeAcknowledgmentsV2, NAK } from "../protocol/ack";
import { encodeLsRefs, type LsRef } from "../protocol/ls-refs";
import { concatBytes, DELIM, encodePkt, FLUSH, parsePkts } from "../protocol/pktline";
import { errorPkt, progressPkt, sidebandFrame } from "../protocol/sideband";
import { parseCommandRequest, parseFetchArgs, parseLsRefsArgs, parseUploadRequestV0, type FetchRequest } from "../protocol/upload-request";
import { errorResponse, ProtocolError, ServerError } from "../errors";
import { concatPacks } from "../pack/concat";
import { writePack, type PackStats, type WriteOptions } from "../pack/writer";
import type { PackInfo } from "../store/packs";
import { cruftPack, wholeReuseAllowed } from "../store/whole-reuse";
import type { Repository } from "../repository";
import { ObjectWalk, type Deepen, type ShallowUpdate } from "../walk/enumerate";
import { graphFor } from "../graph/build";
import { FilterPlan } from "../walk/filter-plan";
import { FilteredStore } from "../walk/filtered-store";
import { filterParts, parseFilterSpec } from "../protocol/filter-spec";
import { quote } from "../protocol/quote";
import { parseObjectInfoArgs } from "../protocol/object-info";
import { readBody } from "./read-body";
import type { Operation } from "../observe/operation";
import { requestIdLine } from "../observe/request-id";

const RESULT_TYPE = "application/x-git-upload-pack-result";

type Sideband = "none" | "side-band" | "side-band-64k";

/**
 * A body that is not pkt-lines, or too big, gets 400 or 413 with JSON. A request git could send but this
 * repository refuses (a want not stored, a filter not served) gets git's ERR line, which git shows as
 * `fatal: remote error: <message>`.
 */
export async function uploadPack(repo: Repository, body: ReadableStream<Uint8Array>, version: number, op?: Operation): Promise<Response> {
  let pkts: ReturnType<typeof parsePkts>;
  try {
    const bytes = await readBody(body, repo.settings.limits.uploadRequestBytes);
    if (op) op.bytesIn = bytes.length;
    pkts = parsePkts(bytes);
  } catch (e) {
    if (e instanceof ServerError && e.status < 500) return errorResponse(e);
    throw e;
  }
  try {
    if (version === 2) return await commandV2(repo, parseCommandRequest(pkts), op);
    const req = parseUploadRequestV0(pkts);
    // A body that ends right after the want section (one flush, no haves, no done) is a stateless client's
    // first shallow round: it reads the shallow list alone, as git's upload-pack answers an EOF there.
    const wantsOnly = !req.done && req.haves.length === 0 && pkts.filter((p) => p.kind === "flush").length === 1 && pkts.at(-1)?.kind === "flush";
    return await fetchV0(repo, req, wantsOnly, op);
  } catch (e) {
    if (!(e instanceof ServerError && e.status < 500)) throw e;
    op?.refuse(e.message);
    return respond(encodePkt(`ERR ${e.message}${idSuffix(op)}\n`));
  }
}

/** " (request id: ...)" after an error git shows on one line. */
function idSuffix(op: Operation | undefined): string {
  return op?.requestId ? ` (${requestIdLine(op.requestId)})` : "";
}

/** Names the request's record: a clone when the client has nothing yet, else a fetch. */
function nameFetch(op: Operation | undefined, req: FetchRequest): void {
  if (op) op.name = req.haves.length === 0 && req.shallows.length === 0 ? "clone" : "fetch";
}

async function fetchV0(repo: Repository, req: FetchRequest, wantsOnly: boolean, op?: Operation): Promise<Response> {
  nameFetch(op, req);
  if (req.wants.length === 0) return respond(new Uint8Array(0));
  checkWants(repo, req.wants);
  if (req.filter !== undefined && !req.capabilities.has("filter")) throw new ProtocolError("filtering capability not negotiated");
  const common = req.haves.filter((h) => repo.store.has(h));
  // A shallow request's boundary opens every response (technical-shallow.adoc); others walk later, while streaming.
  const walk = new ObjectWalk(repo.store, filterPlan(req), graphFor(repo));
  const update = isDeepen(req) ? await walk.selectCommits(req.wants, common, deepenOf(repo, req)) : null;
  if (wantsOnly) return respond(shallowLines(update));
  const detailed = req.capabilities.has("multi_ack_detailed");
  const lines: Uint8Array[] = [];
  const last = common[common.length - 1];
  if (!req.done) {
    if (detailed) for (const oid of common) lines.push(ackLine(oid, "common"));
    // Ready once any have is common: the pack is then what the wants reach beyond the common commits.
    const ready = detailed && last !== undefined;
    if (ready) lines.push(ackLine(last, "ready"));
    lines.push(NAK);
    if (!(ready && req.capabilities.has("no-done"))) return respond(concatBytes([shallowLines(update), ...lines]));
    lines.push(ackLine(last));
  } else {
    lines.push(last !== undefined ? ackLine(last) : NAK);
  }
  const sideband: Sideband = req.capabilities.has("side-band-64k") ? "side-band-64k" : req.capabilities.has("side-band") ? "side-band" : "none";
  return respond(concatBytes([shallowLines(update), ...lines]), packfile(walk, repo, req, common, sideband, op));
}

async function commandV2(repo: Repository, request: ReturnType<typeof parseCommandRequest>, op?: Operation): Promise<Response> {
  if (op) op.name = request.command;
  if (request.command === "ls-refs") return respond(await lsRefs(repo, request.args));
  if (request.command === "object-info") return respond(objectInfo(repo, request.args));
  if (request.command !== "fetch") throw new ProtocolError(`unknown command '${request.command}'`);
  const req = parseFetchArgs(request.args);
  nameFetch(op, req);
  checkWants(repo, req.wants);
  const plan = filterPlan(req);
  const common = req.haves.filter((h) => repo.store.has(h));
  const sections: Uint8Array[] = [];
  if (!req.done) {
    const ready = common.length > 0 && !req.capabilities.has("wait-for-done");
    sections.push(encodeAcknowledgmentsV2(common, ready));
    if (!ready) return respond(sections[0]);
  }
  const walk = new ObjectWalk(repo.store, plan, graphFor(repo));
  if (isDeepen(req)) {
    const update = await walk.selectCommits(req.wants, common, deepenOf(repo, req));
    sections.push(encodePkt("shallow-info\n"), shallowLines(update, DELIM));
  }
  sections.push(encodePkt("packfile\n"));
  return respond(concatBytes(sections), packfile(walk, repo, req, common, "side-band-64k", op));
}

async function lsRefs(repo: Repository, args: string[]): Promise<Uint8Array> {
  const req = parseLsRefsArgs(args);
  const wanted = (name: string) => req.prefixes.length === 0 || req.prefixes.some((p) => name.startsWith(p));
  const refs: LsRef[] = [];
  const head = repo.refs.head();
  const all = repo.refs.all();
  const headOid = all.get(head) ?? null;
  if (wanted("HEAD") && (headOid || req.unborn)) refs.push({ name: "HEAD", oid: headOid, symrefTarget: head });
  for (const [name, oid] of all) if (wanted(name)) refs.push({ name, oid, peeled: req.peel ? await repo.peel(oid) : undefined });
  return encodeLsRefs(refs, req);
}

/** `size` of each object id asked for; an id not stored gets nothing after its space. */
function objectInfo(repo: Repository, args: string[]): Uint8Array {
  const req = parseObjectInfoArgs(args);
  const lines = req.size ? [encodePkt("size\n")] : [];
  // Located 100 ids a query, not one query an id.
  const found = req.size ? repo.store.locateMany(req.oids) : new Map<string, { size: number }>();
  for (const oid of req.oids) {
    const size = found.get(oid)?.size;
    lines.push(encodePkt(size === undefined ? `${oid} \n` : `${oid} ${size}\n`));
  }
  return concatBytes([...lines, FLUSH]);
}

function isDeepen(req: FetchRequest): boolean {
  return req.deepen !== undefined || req.deepenSince !== undefined || req.deepenNot.length > 0;
}

function deepenOf(repo: Repository, req: FetchRequest): Deepen {
  const refs = repo.refs.all();
  const not = req.deepenNot.map((name) => refs.get(deepenNotRef(refs, name))!);
  const tips = req.deepenRelative ? [...refs.values()] : undefined;
  return { depth: req.deepen, relative: req.deepenRelative, tips, since: req.deepenSince, not, clientShallow: req.shallows };
}

/** The one ref a deepen-not name means, by git's rules for a short ref name (git rev-parse's order). */
function deepenNotRef(refs: Map<string, string>, name: string): string {
  const matches = [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`].filter((r) => refs.has(r));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new ProtocolError(`deepen-not ${quote(name)} is not a ref of this repository`);
  throw new ProtocolError(`ambiguous deepen-not ${quote(name)}: it names ${matches.join(" and ")}`);
}

/**
 * The request's object filter, if any. sparse:oid (a sparse-checkout pattern file) is refused as git's
 * upload-pack refuses a filter its uploadpack.filter.<name>.allow forbids.
 */
function filterPlan(req: FetchRequest): FilterPlan | null {
  if (req.filter === undefined) return null;
  const filter = parseFilterSpec(req.filter);
  if (filterParts(filter).some((f) => f.kind === "sparse:oid")) throw new ProtocolError("filter 'sparse:oid' not supported");
  return new FilterPlan(filter);
}

/** "shallow <oid>" and "unshallow <oid>" lines, then `end` (flush in v0, delim in v2's shallow-info). */
function shallowLines(update: ShallowUpdate | null, end: Uint8Array = FLUSH): Uint8Array {
  if (!update) return new Uint8Array(0);
  return concatBytes([...update.shallow.map((oid) => encodePkt(`shallow ${oid}`)), ...update.unshallow.map((oid) => encodePkt(`unshallow ${oid}`)), end]);
}

function checkWants(repo: Repository, wants: string[]): void {
  for (const want of wants) if (!repo.store.has(want)) throw new ProtocolError(`want ${want} is not our ref`);
}

/** The pack as side-band packets (progress on band 2, errors on band 3), or as raw bytes without side-band. */
async function* packfile(walk: ObjectWalk, repo: Repository, req: FetchRequest, common: string[], sideband: Sideband, op?: Operation): AsyncGenerator<Uint8Array> {
  const banded = sideband !== "none";
  const max = sideband === "side-band" ? 995 : 65515;
  const progress = banded && !req.capabilities.has("no-progress");
  const say = (text: string) => (progress ? [progressPkt(text)] : []);
  try {
    yield* say("Enumerating objects...\r");
    const whole = wholeStorePacks(repo, req, common);
    let pieces: AsyncGenerator<Uint8Array>;
    let summary: () => string;
    if (whole && !walk.filter) {
      const count = whole.reduce((n, p) => n + p.objects, 0);
      if (op) op.objectsOut = count;
      yield* say(`Enumerating objects: ${count}, done.\n`);
      yield* say(`Counting objects: 100% (${count}/${count}), done.\n`);
      pieces = concatPacks(repo.packs, whole);
      summary = () => `Total ${count}, reused ${count}, pack-reused ${count} (${packsCount(whole)} sent whole)\n`;
    } else {
      // A filter that looks at types and sizes only picks from the whole packs as they are scanned.
      const picked = whole && walk.filter?.byTypeAndSize ? await FilteredStore.of(repo.store, whole.map((p) => p.id), walk.filter, req.wants) : null;
      if (!picked) await collect(walk, repo, req, common);
      const sending = picked ?? walk.sending;
      const count = sending.count;
      if (op) op.objectsOut = count;
      yield* say(`Enumerating objects: ${count}, done.\n`);
      yield* say(`Counting objects: 100% (${count}/${count}), done.\n`);
      const stats: PackStats = { reused: 0, deltas: 0, recompressed: 0 };
      pieces = writePack(repo.store, sending, stats, { ...packOptions(repo, req, walk), scan: picked ? whole!.map((p) => p.id) : undefined });
      const from = picked ? ` (picked from ${packsCount(whole!)})` : "";
      summary = () => `Total ${count} (delta ${stats.deltas}), reused ${stats.reused + stats.deltas} (delta ${stats.deltas}), pack-reused 0${from}\n`;
    }
    for await (const piece of pieces) {
      if (banded) yield sidebandFrame(1, piece, max);
      else yield piece;
    }
    yield* say(summary());
    if (banded) yield FLUSH;
  } catch (e) {
    op?.fail(e);
    if (banded) yield concatBytes([errorPkt(`upload-pack: ${(e as Error).message}${idSuffix(op)}`), FLUSH]);
  }
}

function packsCount(packs: PackInfo[]): string {
  return `${packs.length} stored pack${packs.length === 1 ? "" : "s"}`;
}

/**
 * How the pack is written: OFS_DELTA when the client reads it; a thin pack (deltas on objects the client
 * has, sent as they are stored) when it asked for one, unless a filter may have left those bases out
 * of its partial clone.
 */
function packOptions(repo: Repository, req: FetchRequest, walk: ObjectWalk): WriteOptions {
  const sending = walk.sending;
  const thin = req.capabilities.has("thin-pack") && req.filter === undefined;
  return {
    bigObjectBytes: repo.settings.objects.bigBytes,
    ofsDelta: req.capabilities.has("ofs-delta"),
    hasBase: thin ? (oid) => sending.has(oid) || sending.excluded(oid) : undefined,
  };
}

/**
 * The live packs, when the client has nothing, asks for no shallow history and wants every ref's tip,
 * and the packs hold exactly the reachable objects (store/whole-reuse.ts), the last repack's pack of
 * unreachable ones aside: then the pack to send is all of them (or, with a filter of types and sizes,
 * what it keeps of them), and no history walk is needed.
 */
function wholeStorePacks(repo: Repository, req: FetchRequest, common: string[]): PackInfo[] | null {
  if (common.length > 0 || isDeepen(req) || req.shallows.length > 0 || !wholeReuseAllowed(repo.sql)) return null;
  const wants = new Set(req.wants);
  for (const oid of repo.refs.all().values()) if (!wants.has(oid)) return null;
  const cruft = cruftPack(repo.sql);
  return repo.packs.all().filter((p) => repo.packs.isReadable(p.id) && p.objects > 0 && p.id !== cruft).sort((a, b) => a.id - b.id);
}

/** The objects the wants reach beyond the common commits, plus tags of sent objects when asked. */
async function collect(walk: ObjectWalk, repo: Repository, req: FetchRequest, common: string[]): Promise<void> {
  if (!walk.selected) await walk.selectCommits(req.wants, common);
  await walk.collectObjects();
  // The pack is written from stored entries (pack blocks): the trees and commit rows the walk cached,
  // up to 12 MiB, are not read again.
  repo.store.forgetObjects();
  repo.graph.forget();
  if (req.capabilities.has("include-tag")) {
    for (const [name, oid] of repo.refs.all()) {
      if (!name.startsWith("refs/tags/") || walk.sending.has(oid)) continue;
      // The kept peel answers first: most tags point at commits that are not being sent.
      const target = await repo.peel(oid);
      if (target && walk.sending.has(target)) await walk.includeTag(oid);
    }
  }
}

function respond(prefix: Uint8Array, rest?: AsyncGenerator<Uint8Array>): Response {
  const headers = { "Content-Type": RESULT_TYPE, "Cache-Control": "no-cache" };
  if (!rest) return new Response(prefix, { headers });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix.length > 0) controller.enqueue(prefix);
    },
    async pull(controller) {
      const { value, done } = await rest.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await rest.return(undefined);
    },
  });
  return new Response(stream, { headers });
}
