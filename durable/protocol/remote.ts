// The client's side of smart HTTP, for imports: reading what a remote upload-pack advertises, and
// writing the requests that fetch its branches and tags. Pure: bytes in, values out.
// - Protocol v0 ref advertisement: gitprotocol-http.adoc ("Smart Clients", the "# service=" line)
//   and gitprotocol-pack.adoc ("Reference Discovery"): "<oid> <ref>\0<capabilities>" then one ref a line.
// - Protocol v2 capability advertisement and ls-refs: gitprotocol-v2.adoc ("Capability
//   Advertisement", "ls-refs"): "<oid> <ref>[ symref-target:<t>][ peeled:<oid>]".
// - Requests: v2 "fetch" (gitprotocol-v2.adoc, "fetch") and v0 "upload-request"
//   (gitprotocol-pack.adoc, "Packfile Negotiation"): wants, the tips the repository has as haves, then
//   "done", so the remote answers in one round (v2 sends no acknowledgments after "done"; v0 one ACK or NAK).
import { ProtocolError } from "../errors";
import { encodePkts, parsePkts, pktText, type Pkt } from "./pktline";
import { isOid, ZERO_OID } from "./oid";

export interface RemoteRefs {
  version: 0 | 2;
  /** Branches and tags, in the order the remote listed them. */
  refs: { name: string; oid: string }[];
  /** What HEAD points to, when the remote says. */
  head: string | null;
  /** v0: the capabilities after the first ref; v2: the capability lines. */
  capabilities: string[];
}

const WANTED = /^refs\/(heads|tags)\//;
const DELIM: Pkt = { kind: "delim" };
const FLUSH: Pkt = { kind: "flush" };

function dataLines(pkts: Pkt[]): string[] {
  const lines: string[] = [];
  for (const pkt of pkts) if (pkt.kind === "data") lines.push(pktText(pkt.data));
  return lines;
}

function refLine(oid: string, name: string, line: string): { name: string; oid: string } {
  if (!isOid(oid) || !name) throw new ProtocolError(`malformed ref line ${JSON.stringify(line)}`);
  return { name, oid };
}

/**
 * The answer to GET info/refs?service=git-upload-pack: a v2 capability advertisement (refs then come
 * from ls-refs) or a v0 ref advertisement, with or without the "# service=" line smart HTTP puts first.
 */
export function parseInfoRefs(body: Uint8Array): RemoteRefs {
  let pkts = parsePkts(body);
  const first = pkts[0];
  if (first?.kind === "data" && pktText(first.data).startsWith("# service=")) {
    if (pkts[1]?.kind !== "flush") throw new ProtocolError("the service line is not followed by a flush");
    pkts = pkts.slice(2);
  }
  const lines = dataLines(pkts);
  if (lines[0] === "version 2") return { version: 2, refs: [], head: null, capabilities: lines.slice(1) };
  const refs: { name: string; oid: string }[] = [];
  let capabilities: string[] = [];
  let head: string | null = null;
  lines.forEach((line, i) => {
    const nul = line.indexOf("\0");
    const [oid = "", name = ""] = (nul === -1 ? line : line.slice(0, nul)).split(" ");
    if (i === 0 && nul !== -1) {
      capabilities = line.slice(nul + 1).split(" ").filter(Boolean);
      const symref = capabilities.find((c) => c.startsWith("symref=HEAD:"));
      if (symref) head = symref.slice("symref=HEAD:".length);
    }
    // An empty repository advertises only "capabilities^{}"; peeled tags end in "^{}".
    if (oid === ZERO_OID || name.endsWith("^{}")) return;
    const ref = refLine(oid, name, line);
    if (WANTED.test(ref.name)) refs.push(ref);
  });
  return { version: 0, refs, head, capabilities };
}

/** The v2 ls-refs request for HEAD, branches and tags, with symrefs. */
export function lsRefsRequest(): Uint8Array {
  return encodePkts(["command=ls-refs\n", DELIM, "symrefs\n", "ref-prefix HEAD\n", "ref-prefix refs/heads/\n", "ref-prefix refs/tags/\n", FLUSH]);
}

/** The ls-refs answer: branches and tags, and HEAD's target. */
export function parseLsRefs(body: Uint8Array): Pick<RemoteRefs, "refs" | "head"> {
  const refs: { name: string; oid: string }[] = [];
  let head: string | null = null;
  for (const line of dataLines(parsePkts(body))) {
    const [oid = "", name = "", ...attributes] = line.split(" ");
    if (name === "HEAD") {
      head = attributes.find((a) => a.startsWith("symref-target:"))?.slice("symref-target:".length) ?? null;
      continue;
    }
    const ref = refLine(oid, name, line);
    if (WANTED.test(ref.name)) refs.push(ref);
  }
  return { refs, head };
}

/** The v2 fetch of `wants` in one pack, without progress, leaving out what `haves` reach. */
export function fetchRequestV2(wants: string[], haves: string[] = []): Uint8Array {
  if (wants.length === 0) throw new ProtocolError("nothing to fetch");
  return encodePkts(["command=fetch\n", DELIM, "ofs-delta\n", "no-progress\n", ...wants.map((w) => `want ${w}\n`), ...haves.map((h) => `have ${h}\n`), "done\n", FLUSH]);
}

/** The v0 upload request of `wants`, the pack on side band 1, leaving out what `haves` reach. */
export function uploadRequestV0(wants: string[], haves: string[] = []): Uint8Array {
  const [first, ...rest] = wants;
  if (!first) throw new ProtocolError("nothing to fetch");
  return encodePkts([`want ${first} side-band-64k ofs-delta no-progress\n`, ...rest.map((w) => `want ${w}\n`), FLUSH, ...haves.map((h) => `have ${h}\n`), "done\n"]);
}
