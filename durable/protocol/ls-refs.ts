// The v2 ls-refs response: one "<oid> <name>" line per ref with optional attributes, then flush
// (gitprotocol-v2.adoc, "ls-refs").
import { encodePkts } from "./pktline";
import type { LsRefsRequest } from "./upload-request";

export interface LsRef {
  name: string;
  /** null: a symref to an unborn branch (only HEAD). */
  oid: string | null;
  symrefTarget?: string;
  peeled?: string;
}

/** Refs in the order given; the caller filters by prefix. Unborn refs appear only when asked for. */
export function encodeLsRefs(refs: LsRef[], req: LsRefsRequest): Uint8Array {
  const lines: string[] = [];
  for (const ref of refs) {
    if (ref.oid === null && !req.unborn) continue;
    let line = `${ref.oid ?? "unborn"} ${ref.name}`;
    if (req.symrefs && ref.symrefTarget) line += ` symref-target:${ref.symrefTarget}`;
    if (req.peel && ref.oid !== null && ref.peeled) line += ` peeled:${ref.peeled}`;
    lines.push(`${line}\n`);
  }
  return encodePkts([...lines, { kind: "flush" }]);
}
