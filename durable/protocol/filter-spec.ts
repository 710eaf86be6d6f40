// Object filters of partial clone: the <filter-spec> of a fetch's "filter" argument (gitprotocol-v2.adoc,
// "fetch", and gitprotocol-pack.adoc, "filter"; the forms are those of git rev-list --filter, and
// technical-partial-clone.adoc says how a server applies them). Pure: a string in, a value out.
import { ProtocolError } from "../errors";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";
import { quote } from "./quote";

export type ObjectFilter =
  | { kind: "blob:none" }
  /** Omits blobs of `bytes` or more. */
  | { kind: "blob:limit"; bytes: number }
  /** Omits trees and blobs `depth` or more levels below a commit's root tree (which is level 0). */
  | { kind: "tree"; depth: number }
  | { kind: "object:type"; type: number }
  | { kind: "sparse:oid"; oid: string }
  /** Omits what any of its filters omits. */
  | { kind: "combine"; filters: ObjectFilter[] };

const TYPES: Record<string, number> = { commit: OBJ_COMMIT, tree: OBJ_TREE, blob: OBJ_BLOB, tag: OBJ_TAG };
/** Characters a combine: sub-filter must percent-encode, besides whitespace and controls. */
const RESERVED = "~`!@#$^&*()[]{}\\;'\",<>?";
const UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseFilterSpec(spec: string): ObjectFilter {
  if (spec === "blob:none") return { kind: "blob:none" };
  if (spec.startsWith("blob:limit=")) {
    const bytes = sizeArg(spec.slice("blob:limit=".length));
    if (bytes !== null) return { kind: "blob:limit", bytes };
  } else if (spec.startsWith("tree:")) {
    const depth = /^\d+$/.test(spec.slice(5)) ? Number(spec.slice(5)) : NaN;
    if (!Number.isSafeInteger(depth)) throw new ProtocolError(`expected 'tree:<depth>', got ${quote(spec)}`);
    return { kind: "tree", depth };
  } else if (spec.startsWith("object:type=")) {
    const name = spec.slice("object:type=".length);
    if (!(name in TYPES)) throw new ProtocolError(`${quote(name)} for 'object:type=<type>' is not a valid object type`);
    return { kind: "object:type", type: TYPES[name] };
  } else if (spec.startsWith("sparse:oid=") && spec.length > "sparse:oid=".length) {
    return { kind: "sparse:oid", oid: spec.slice("sparse:oid=".length) };
  } else if (spec.startsWith("combine:")) {
    return { kind: "combine", filters: spec.slice("combine:".length).split("+").map(parseSubFilter) };
  }
  throw new ProtocolError(`invalid filter-spec ${quote(spec)}`);
}

/** Every filter of a combine:, and a lone filter itself. */
export function filterParts(filter: ObjectFilter): ObjectFilter[] {
  return filter.kind === "combine" ? filter.filters.flatMap(filterParts) : [filter];
}

function parseSubFilter(encoded: string): ObjectFilter {
  if (encoded === "") throw new ProtocolError("expected a filter-spec on each side of '+' in combine:");
  for (const c of encoded) {
    if (c <= " " || RESERVED.includes(c)) throw new ProtocolError(`must escape char in sub-filter-spec: ${quote(c)}`);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw new ProtocolError(`malformed percent-encoding in sub-filter-spec ${quote(encoded)}`);
  }
  return parseFilterSpec(decoded);
}

/** git_parse_ulong: digits with an optional k, m or g (any case), in units of 1024; null when malformed. */
function sizeArg(text: string): number | null {
  const match = /^(\d+)([kmg]?)$/i.exec(text);
  if (!match) return null;
  const bytes = Number(match[1]) * UNITS[match[2].toLowerCase()];
  return Number.isSafeInteger(bytes) ? bytes : null;
}
