// Minimal parsers for the links inside commits, trees and tags. The pack walks use these instead of
// isomorphic-git's readCommit/readTree: they run once per object on every clone and push, where going
// through isomorphic-git's fs layer would cost an inflate-deflate round trip per object.
import { PackError } from "../errors";
import { bytesToHex, hexDigit } from "./hex";

const decoder = new TextDecoder();

export interface CommitLinks {
  tree: string;
  parents: string[];
  /** Committer time, seconds since the epoch. */
  time: number;
}

export function parseCommit(data: Uint8Array): CommitLinks {
  const text = decoder.decode(data.subarray(0, headerEnd(data)));
  const links: CommitLinks = { tree: "", parents: [], time: 0 };
  for (const line of text.split("\n")) {
    if (line.startsWith("tree ")) links.tree = line.slice(5, 45);
    else if (line.startsWith("parent ")) links.parents.push(line.slice(7, 47));
    else if (line.startsWith("committer ")) links.time = Number(/ (\d+) [+-]\d{4}$/.exec(line)?.[1] ?? 0);
  }
  if (links.tree.length !== 40) throw new PackError("commit has no tree");
  return links;
}

export interface TagLinks {
  object: string;
  type: string;
}

export function parseTag(data: Uint8Array): TagLinks {
  const text = decoder.decode(data.subarray(0, headerEnd(data)));
  const object = /^object ([0-9a-f]{40})$/m.exec(text)?.[1];
  const type = /^type (\w+)$/m.exec(text)?.[1];
  if (!object || !type) throw new PackError("tag has no object or type");
  return { object, type };
}

export interface TreeEntry {
  mode: string;
  oid: string;
}

export const MODE_GITLINK = "160000";

/** Tree entries: "<mode> <name>\0<20-byte id>" repeated. Names are not needed by the walks. */
export function parseTree(data: Uint8Array): TreeEntry[] {
  return scanTree(data, (mode, _name, oid) => ({ mode, oid }));
}

/** Tree entries with their names, for a walk that reports paths (service/oversized.ts). */
export function parseNamedTree(data: Uint8Array): (TreeEntry & { name: string })[] {
  return scanTree(data, (mode, name, oid) => ({ mode, name: decoder.decode(name), oid }));
}

const encoder = new TextEncoder();

/**
 * The entry named `name` in a tree, or null: the entries are stepped over as bytes and only the one
 * found is decoded (a path lookup reads a few entries of trees that may hold thousands).
 */
export function findTreeEntry(data: Uint8Array, name: string): TreeEntry | null {
  const wanted = encoder.encode(name);
  let p = 0;
  while (p < data.length) {
    const space = data.indexOf(0x20, p);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new PackError("tree entry is malformed");
    if (nul - space - 1 === wanted.length && wanted.every((b, i) => data[space + 1 + i] === b)) {
      return { mode: decoder.decode(data.subarray(p, space)), oid: bytesToHex(data.subarray(nul + 1, nul + 21)) };
    }
    p = nul + 21;
  }
  return null;
}

function scanTree<E>(data: Uint8Array, entry: (mode: string, name: Uint8Array, oid: string) => E): E[] {
  const entries: E[] = [];
  let p = 0;
  while (p < data.length) {
    const space = data.indexOf(0x20, p);
    const nul = data.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > data.length) throw new PackError("tree entry is malformed");
    entries.push(entry(decoder.decode(data.subarray(p, space)), data.subarray(space + 1, nul), bytesToHex(data.subarray(nul + 1, nul + 21))));
    p = nul + 21;
  }
  return entries;
}

function headerEnd(data: Uint8Array): number {
  const blank = findBlankLine(data);
  return blank < 0 ? data.length : blank;
}

function findBlankLine(data: Uint8Array): number {
  for (let i = 0; i + 1 < data.length; i++) if (data[i] === 0x0a && data[i + 1] === 0x0a) return i;
  return -1;
}

const SPACE = 0x20;
const ZERO = 0x30;
const FOUR = 0x34;
const NEWLINE = 0x0a;

/**
 * Calls `fn` with every object id a commit, tree or tag links to, as 20 raw bytes at `bytes[at..]`
 * (a view valid during the call), without building strings: the tree, parents, tagged object and
 * tree entries other than gitlinks (submodule commits live in another repository). `isTree` says
 * whether the link is to a tree: a commit's tree line, or a directory entry of a tree ("40000", or
 * "040000" in old trees).
 */
export function forEachLink(type: "commit" | "tree" | "tag", data: Uint8Array, fn: (bytes: Uint8Array, at: number, isTree: boolean) => void): void {
  if (type === "tree") {
    // Byte loops: entries are short, and a native indexOf call per field costs more than scanning them.
    for (let p = 0, n = data.length; p < n; ) {
      let space = p;
      while (space < n && data[space] !== SPACE) space++;
      let nul = space;
      while (nul < n && data[nul] !== 0) nul++;
      if (nul + 21 > n) throw new PackError("tree entry is malformed");
      if (!(space - p === 6 && startsWith(data, p, MODE_GITLINK))) fn(data, nul + 1, data[p] === FOUR || (data[p] === ZERO && data[p + 1] === FOUR));
      p = nul + 21;
    }
    return;
  }
  const scratch = new Uint8Array(20);
  const keys = type === "commit" ? ["tree ", "parent "] : ["object "];
  for (let p = 0; p < data.length && data[p] !== NEWLINE; ) {
    let eol = data.indexOf(NEWLINE, p);
    if (eol < 0) eol = data.length;
    for (const key of keys) {
      if (eol - p === key.length + 40 && startsWith(data, p, key)) fn(hexInto(data, p + key.length, scratch), 0, key === "tree ");
    }
    p = eol + 1;
  }
}

function startsWith(data: Uint8Array, at: number, key: string): boolean {
  for (let k = 0; k < key.length; k++) if (data[at + k] !== key.charCodeAt(k)) return false;
  return true;
}

function hexInto(data: Uint8Array, at: number, out: Uint8Array): Uint8Array {
  for (let k = 0; k < 20; k++) out[k] = (hexDigit(data[at + 2 * k]) << 4) | hexDigit(data[at + 2 * k + 1]);
  return out;
}
