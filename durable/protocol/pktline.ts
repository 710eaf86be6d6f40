// pkt-line framing: data, flush, delim and response-end packets
// (gitprotocol-common.adoc, "pkt-line Format"; gitprotocol-v2.adoc, "Packet-Line Framing").
import { ProtocolError } from "../errors";

export type Pkt = { kind: "data"; data: Uint8Array } | { kind: "flush" } | { kind: "delim" } | { kind: "response-end" };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const FLUSH: Uint8Array = encoder.encode("0000");
export const DELIM: Uint8Array = encoder.encode("0001");
export const RESPONSE_END: Uint8Array = encoder.encode("0002");

/** Largest payload of one pkt-line; with the 4-byte length the whole line is at most 65520 bytes. */
export const MAX_PKT_DATA = 65516;
const MAX_PKT_LEN = MAX_PKT_DATA + 4;

const SPECIAL: Record<number, Pkt> = { 0: { kind: "flush" }, 1: { kind: "delim" }, 2: { kind: "response-end" } };
const MARKERS: Record<Exclude<Pkt["kind"], "data">, Uint8Array> = { flush: FLUSH, delim: DELIM, "response-end": RESPONSE_END };

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function encodePkt(data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  if (bytes.length > MAX_PKT_DATA) throw new ProtocolError(`pkt-line payload of ${bytes.length} bytes exceeds ${MAX_PKT_DATA}`);
  const out = new Uint8Array(bytes.length + 4);
  out.set(encoder.encode((bytes.length + 4).toString(16).padStart(4, "0")));
  out.set(bytes, 4);
  return out;
}

/** Strings and bytes become data pkts; flush/delim/response-end values become their markers. */
export function encodePkts(items: (string | Uint8Array | Pkt)[]): Uint8Array {
  return concatBytes(
    items.map((item) => {
      if (typeof item === "string" || item instanceof Uint8Array) return encodePkt(item);
      return item.kind === "data" ? encodePkt(item.data) : MARKERS[item.kind];
    }),
  );
}

/** The pkt starting at `offset`, or null when `buf` does not hold all of it yet. */
export function readPkt(buf: Uint8Array, offset: number): { pkt: Pkt; next: number } | null {
  if (buf.length - offset < 4) return null;
  const len = parseLength(buf.subarray(offset, offset + 4));
  const special = SPECIAL[len];
  if (special) return { pkt: special, next: offset + 4 };
  if (len < 4) throw new ProtocolError(`invalid pkt-line length '${printable(buf.subarray(offset, offset + 4))}'`);
  if (len > MAX_PKT_LEN) throw new ProtocolError(`pkt-line length ${len} exceeds ${MAX_PKT_LEN}`);
  if (buf.length - offset < len) return null;
  return { pkt: { kind: "data", data: buf.subarray(offset + 4, offset + len) }, next: offset + len };
}

/** The payload as text, without one trailing LF. */
export function pktText(data: Uint8Array): string {
  const text = decoder.decode(data);
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** Every pkt in `buf`, which must end on a pkt boundary. */
export function parsePkts(buf: Uint8Array): Pkt[] {
  const pkts: Pkt[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const got = readPkt(buf, offset);
    if (!got) throw new ProtocolError(`truncated pkt-line at offset ${offset} (${buf.length - offset} bytes left)`);
    pkts.push(got.pkt);
    offset = got.next;
  }
  return pkts;
}

function parseLength(head: Uint8Array): number {
  let len = 0;
  for (const c of head) {
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) throw new ProtocolError(`malformed pkt-line length '${printable(head)}'`);
    len = len * 16 + digit;
  }
  return len;
}

/** Bytes as ASCII, with anything unprintable as \xNN. */
function printable(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  return s;
}
