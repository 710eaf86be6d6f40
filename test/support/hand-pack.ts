// Objects and packs built by hand, byte for byte, for pushes that git's own pack-objects refuses to
// send (a tree whose entry has mode 999999, a commit whose tree line is short): git objects with
// their ids, a pack of them (gitformat-pack.adoc), and the receive-pack request that pushes it.
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";

const TYPES = { commit: 1, tree: 2, blob: 3, tag: 4 } as const;
export type Kind = keyof typeof TYPES;

export interface HandObject {
  kind: Kind;
  data: Uint8Array;
  oid: string;
}

export function object(kind: Kind, data: Uint8Array | string): HandObject {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const oid = createHash("sha1").update(`${kind} ${bytes.length}\0`).update(bytes).digest("hex");
  return { kind, data: bytes, oid };
}

/** A tree of raw entries: [mode, name, oid]. */
export function tree(...entries: [string, string, string][]): HandObject {
  const parts = entries.map(([mode, name, oid]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`, "latin1"), Buffer.from(oid, "hex")]));
  return object("tree", Buffer.concat(parts));
}

export function commit(treeLine: string, parents: string[] = [], extra = ""): HandObject {
  const lines = [`tree ${treeLine}`, ...parents.map((p) => `parent ${p}`), "author A U Thor <a@example.com> 1700000000 +0000", "committer A U Thor <a@example.com> 1700000000 +0000"];
  return object("commit", `${lines.join("\n")}\n${extra}\nA commit built by hand\n`);
}

export function pack(objects: HandObject[]): Buffer {
  return packWithDeltas(objects);
}

const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;

/** The body of a push that creates `ref` at `tip` with these objects, asking for report-status on side-band. */
export function pushBody(ref: string, tip: string, objects: HandObject[]): Buffer {
  const commands = pkt(`${"0".repeat(40)} ${tip} ${ref}\0report-status side-band-64k agent=hand\n`) + "0000";
  return Buffer.concat([Buffer.from(commands, "latin1"), pack(objects)]);
}

/** A REF_DELTA entry that makes `result` from `base`: a copy of their common prefix, then the rest inserted. */
export interface HandDelta {
  base: HandObject;
  result: HandObject;
}

/** A git delta (gitformat-pack.adoc, "Deltified representation") from `base` to `result`, as above. */
export function deltaBytes(base: Uint8Array, result: Uint8Array): Uint8Array {
  const varint = (n: number) => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return out;
  };
  let common = 0;
  while (common < base.length && common < result.length && base[common] === result[common]) common++;
  const ops: number[] = [...varint(base.length), ...varint(result.length)];
  for (let at = 0; at < common; ) {
    const size = Math.min(common - at, 0xffffff);
    ops.push(0x80 | 0x0f | 0x70, at & 0xff, (at >> 8) & 0xff, (at >> 16) & 0xff, (at >>> 24) & 0xff, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff);
    at += size;
  }
  const parts = [Buffer.from(ops)];
  for (let at = common; at < result.length; at += 127) {
    const chunk = result.subarray(at, Math.min(result.length, at + 127));
    parts.push(Buffer.from([chunk.length]), Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

/** A pack of whole objects and REF_DELTA entries. */
export function packWithDeltas(entries: (HandObject | HandDelta)[]): Buffer {
  const header = Buffer.alloc(12);
  header.write("PACK", 0, "latin1");
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries.length, 8);
  const encoded = entries.map((e) => {
    const [type, data, extra] = "kind" in e ? [TYPES[e.kind], e.data, Buffer.alloc(0)] : [7, deltaBytes(e.base.data, e.result.data), Buffer.from(e.base.oid, "hex")];
    let size = data.length;
    const head = [(type << 4) | (size & 15)];
    size = Math.floor(size / 16);
    while (size > 0) {
      head[head.length - 1]! |= 0x80;
      head.push(size & 0x7f);
      size = Math.floor(size / 128);
    }
    return Buffer.concat([Buffer.from(head), extra, deflateSync(data)]);
  });
  const body = Buffer.concat([header, ...encoded]);
  return Buffer.concat([body, createHash("sha1").update(body).digest()]);
}
