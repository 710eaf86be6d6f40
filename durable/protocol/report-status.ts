// The receive-pack result: unpack status, then "ok"/"ng" per ref, then flush
// (gitprotocol-pack.adoc, "Report Status", report-status and report-status-v2).
import { ProtocolError } from "../errors";
import { quote } from "./quote";
import { encodePkts, parsePkts, pktText, type Pkt } from "./pktline";

export type RefResult = { ref: string; ok: true } | { ref: string; ok: false; reason: string };

/** `unpack` is "ok" or the unpack error text. Line breaks in messages become spaces to keep one line each. */
export function encodeReportStatus(unpack: "ok" | string, results: RefResult[]): Uint8Array {
  const lines = [`unpack ${oneLine(unpack)}\n`];
  for (const r of results) lines.push(r.ok ? `ok ${r.ref}\n` : `ng ${r.ref} ${oneLine(r.reason)}\n`);
  return encodePkts([...lines, { kind: "flush" }]);
}

/**
 * report-status-v2 only adds "option" lines after an "ok" line for refs rewritten by a proc-receive
 * hook; this server never rewrites refs, so its v2 report is byte-for-byte the v1 one.
 */
export const encodeReportStatusV2 = encodeReportStatus;

/** Parses a report (v1 or v2; v2 option lines are skipped). */
export function decodeReportStatus(buf: Uint8Array): { unpack: string; results: RefResult[] } {
  const pkts = parsePkts(buf);
  const last = pkts.pop();
  if (last?.kind !== "flush") throw new ProtocolError("report-status does not end with a flush");
  const [first, ...rest] = pkts.map(lineOf);
  if (first === undefined || !first.startsWith("unpack ")) throw new ProtocolError(`report-status must start with unpack status, got ${quote(first ?? "")}`);
  const results: RefResult[] = [];
  for (const line of rest) {
    const space = line.indexOf(" ", 3);
    if (line.startsWith("ok ") && line.length > 3) results.push({ ref: line.slice(3), ok: true });
    else if (line.startsWith("ng ") && space > 3) results.push({ ref: line.slice(3, space), ok: false, reason: line.slice(space + 1) });
    else if (!line.startsWith("option ")) throw new ProtocolError(`malformed report-status line ${quote(line)}`);
  }
  return { unpack: first.slice("unpack ".length), results };
}

function lineOf(pkt: Pkt): string {
  if (pkt.kind !== "data") throw new ProtocolError(`unexpected ${pkt.kind} packet in report-status`);
  return pktText(pkt.data);
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
