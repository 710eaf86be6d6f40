// upload-pack requests: the v0/v1 want/have body, the v2 command request, and v2 fetch and ls-refs
// arguments (gitprotocol-pack.adoc, "Packfile Negotiation"; gitprotocol-v2.adoc, "Command Request",
// "ls-refs", "fetch"; technical-shallow.adoc).
import { addCapability, parseCapabilities } from "./capabilities";
import { ProtocolError } from "../errors";
import { quote } from "./quote";
import { isOid } from "./oid";
import { pktText, type Pkt } from "./pktline";

export interface FetchRequest {
  wants: string[];
  haves: string[];
  capabilities: Map<string, string | true>;
  shallows: string[];
  /** Absent when not asked for or asked with depth 0, which the spec treats as no depth request. */
  deepen?: number;
  deepenSince?: number;
  deepenNot: string[];
  deepenRelative: boolean;
  filter?: string;
  done: boolean;
  wantRefs: string[];
}

export interface CommandRequest {
  command: string;
  capabilities: Map<string, string | true>;
  args: string[];
}

export interface LsRefsRequest {
  symrefs: boolean;
  peel: boolean;
  unborn: boolean;
  prefixes: string[];
}

/** v2 fetch arguments without a value; all but "done" are recorded as capabilities. */
const FETCH_FLAGS = new Set(["done", "thin-pack", "no-progress", "include-tag", "ofs-delta", "deepen-relative", "sideband-all", "wait-for-done"]);

/**
 * v0/v1: want lines (capabilities after the oid), shallow/deepen/filter lines, flush, then have lines,
 * flushes and an optional "done" (a stateless negotiation round ends without it).
 */
export function parseUploadRequestV0(pkts: Pkt[]): FetchRequest {
  const req = emptyFetchRequest();
  let section: "wants" | "haves" | "done" = "wants";
  for (const pkt of pkts) {
    if (pkt.kind === "flush") {
      if (section === "wants") section = "haves";
      continue;
    }
    if (pkt.kind !== "data") throw new ProtocolError(`unexpected ${pkt.kind} packet in upload-pack request`);
    const line = pktText(pkt.data);
    const [name, value] = splitArg(line);
    if (section === "wants" && name === "want") {
      req.wants.push(oidArg(value?.slice(0, 40), line));
      if (value !== undefined && value.length > 40) {
        if (value[40] !== " ") throw new ProtocolError(`malformed want line ${quote(line)}`);
        for (const [key, v] of parseCapabilities(value.slice(41))) req.capabilities.set(key, v);
      }
    } else if (section === "haves" && name === "have") req.haves.push(oidArg(value, line));
    else if (section === "haves" && line === "done") {
      req.done = true;
      section = "done";
    } else if (section !== "wants" || !applyShallowArg(req, name, value, line)) {
      throw new ProtocolError(`unexpected line ${quote(line)} in upload-pack request`);
    }
  }
  req.deepenRelative = req.capabilities.has("deepen-relative");
  return checkDeepen(req);
}

/** v2: "command=<name>", capability lines, delim, argument lines, flush. */
export function parseCommandRequest(pkts: Pkt[]): CommandRequest {
  const [first, ...rest] = pkts;
  const head = first?.kind === "data" ? pktText(first.data) : "";
  if (!head.startsWith("command=") || head.length === "command=".length) {
    throw new ProtocolError(`v2 request must start with command=<name>, got ${first?.kind === "data" ? quote(head) : (first?.kind ?? "nothing")}`);
  }
  const req: CommandRequest = { command: head.slice("command=".length), capabilities: new Map(), args: [] };
  let section: "caps" | "args" | "end" = "caps";
  for (const pkt of rest) {
    if (section === "end") throw new ProtocolError(`unexpected ${pkt.kind} packet after the end of the v2 request`);
    if (pkt.kind === "flush") section = "end";
    else if (pkt.kind === "delim" && section === "caps") section = "args";
    else if (pkt.kind !== "data") throw new ProtocolError(`unexpected ${pkt.kind} packet in v2 request`);
    else if (section === "caps") addCapability(req.capabilities, pktText(pkt.data));
    else req.args.push(pktText(pkt.data));
  }
  if (section !== "end") throw new ProtocolError("v2 request does not end with a flush");
  return req;
}

export function parseFetchArgs(args: string[]): FetchRequest {
  const req = emptyFetchRequest();
  for (const arg of args) {
    const [name, value] = splitArg(arg);
    if (FETCH_FLAGS.has(name) && value === undefined) {
      if (name === "done") req.done = true;
      else req.capabilities.set(name, true);
    } else if (name === "want") req.wants.push(oidArg(value, arg));
    else if (name === "have") req.haves.push(oidArg(value, arg));
    else if (name === "want-ref") {
      const ref = textArg(value, arg);
      if (req.wantRefs.includes(ref)) throw new ProtocolError(`duplicate want-ref ${quote(ref)}`);
      req.wantRefs.push(ref);
    } else if (!applyShallowArg(req, name, value, arg)) throw new ProtocolError(`unknown fetch argument ${quote(arg)}`);
  }
  req.deepenRelative = req.capabilities.has("deepen-relative");
  return checkDeepen(req);
}

export function parseLsRefsArgs(args: string[]): LsRefsRequest {
  const req: LsRefsRequest = { symrefs: false, peel: false, unborn: false, prefixes: [] };
  for (const arg of args) {
    if (arg === "symrefs" || arg === "peel" || arg === "unborn") req[arg] = true;
    else if (arg.startsWith("ref-prefix ")) req.prefixes.push(arg.slice("ref-prefix ".length));
    else throw new ProtocolError(`unknown ls-refs argument ${quote(arg)}`);
  }
  return req;
}

function emptyFetchRequest(): FetchRequest {
  return { wants: [], haves: [], capabilities: new Map(), shallows: [], deepenNot: [], deepenRelative: false, done: false, wantRefs: [] };
}

/** Applies shallow, deepen, deepen-since, deepen-not or filter (the same in v0 and v2); false for any other name. */
function applyShallowArg(req: FetchRequest, name: string, value: string | undefined, line: string): boolean {
  if (name === "shallow") req.shallows.push(oidArg(value, line));
  else if (name === "deepen") {
    const depth = numberArg(value, line);
    if (depth > 0) req.deepen = depth;
  } else if (name === "deepen-since") req.deepenSince = numberArg(value, line);
  else if (name === "deepen-not") req.deepenNot.push(textArg(value, line));
  else if (name === "filter") req.filter = textArg(value, line);
  else return false;
  return true;
}

/** gitprotocol-v2.adoc: deepen-since and deepen-not cannot be used with deepen. */
function checkDeepen(req: FetchRequest): FetchRequest {
  if (req.deepen !== undefined && (req.deepenSince !== undefined || req.deepenNot.length > 0)) {
    throw new ProtocolError("deepen cannot be combined with deepen-since or deepen-not");
  }
  return req;
}

/** "name value" split at the first space; value is undefined when there is no space. */
function splitArg(line: string): [string, string | undefined] {
  const space = line.indexOf(" ");
  return space < 0 ? [line, undefined] : [line.slice(0, space), line.slice(space + 1)];
}

function oidArg(value: string | undefined, line: string): string {
  if (value === undefined || !isOid(value)) throw new ProtocolError(`invalid object id in ${quote(line)}`);
  return value;
}

function numberArg(value: string | undefined, line: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new ProtocolError(`invalid number in ${quote(line)}`);
  return Number(value);
}

function textArg(value: string | undefined, line: string): string {
  if (!value) throw new ProtocolError(`missing value in ${quote(line)}`);
  return value;
}
