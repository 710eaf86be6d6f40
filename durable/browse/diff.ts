// What a commit changed, as `git diff -M <parent> <commit>` lists it: the two trees compared entry by
// entry in git's tree order (a subtree with the same id is skipped whole), blob pairs that moved
// found as renames, and for each text file a patch and line counts from a minimal line diff (the
// `diff` package's Myers diff; git's is minimal too on files this small, so the counts agree).
// Rename detection pairs exact moves first, then deleted and added text files whose lines are at
// least half shared, best pair first; git scores similarity by hashed chunks of up to 64 bytes, so
// in borderline cases (near 50%) the two may choose differently.
import { structuredPatch } from "diff";
import { parseNamedTree } from "../pack/parse-object";
import { OBJ_BLOB, OBJ_TREE } from "../pack/types";
import type { ObjectStore } from "../store/objects";

export type ChangeStatus = "added" | "modified" | "deleted" | "renamed";

export interface FileChange {
  path: string;
  /** For a rename, where the file was. */
  previousPath?: string;
  status: ChangeStatus;
  oldOid: string | null;
  newOid: string | null;
  oldMode: string | null;
  newMode: string | null;
}

export interface FilePatch extends FileChange {
  binary: boolean;
  additions: number;
  deletions: number;
  /** The unified diff's hunks, when the file is text and small enough. */
  patch?: string;
  /** The patch was left out: the file, or the patches so far, are over the caps. */
  patchTruncated?: boolean;
}

export const DIFF_CAPS = {
  /** Files listed at most (GitHub lists 300). */
  files: 300,
  /** A side larger than this gets no line counts nor patch. */
  fileBytes: 1024 * 1024,
  /** Patch text per answer. */
  patchBytes: 1024 * 1024,
  /** Deleted × added pairs scored for inexact renames at most (git's diff.renameLimit is 1000 files). */
  renamePairs: 10_000,
};

/** git's buffer_is_binary: a NUL in the first 8000 bytes. */
export function isBinary(data: Uint8Array): boolean {
  return data.subarray(0, 8000).includes(0);
}

interface Entry {
  name: string;
  mode: string;
  oid: string;
}

const isTree = (e: Entry) => e.mode === "40000";
/** Tree order: a directory sorts as if its name ended in "/". */
const sortKey = (e: Entry) => (isTree(e) ? `${e.name}/` : e.name);

async function entries(store: ObjectStore, tree: string | null): Promise<Entry[]> {
  if (tree === null) return [];
  const object = await store.read(tree);
  return object?.type === OBJ_TREE ? parseNamedTree(object.data) : [];
}

/** Every file that differs between two trees (null: the empty tree), in path order, renames not yet paired. */
export async function treeChanges(store: ObjectStore, oldTree: string | null, newTree: string | null, prefix = ""): Promise<FileChange[]> {
  const [before, after] = await Promise.all([entries(store, oldTree), entries(store, newTree)]);
  const changes: FileChange[] = [];
  const added = (e: Entry, path: string) => ({ path, status: "added" as const, oldOid: null, newOid: e.oid, oldMode: null, newMode: e.mode });
  const deleted = (e: Entry, path: string) => ({ path, status: "deleted" as const, oldOid: e.oid, newOid: null, oldMode: e.mode, newMode: null });
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    const order = !a ? 1 : !b ? -1 : sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0;
    const entry = order <= 0 ? a! : b!;
    const path = `${prefix}${entry.name}`;
    if (order < 0) {
      changes.push(...(isTree(a!) ? await treeChanges(store, a!.oid, null, `${path}/`) : [deleted(a!, path)]));
      i++;
    } else if (order > 0) {
      changes.push(...(isTree(b!) ? await treeChanges(store, null, b!.oid, `${path}/`) : [added(b!, path)]));
      j++;
    } else {
      i++;
      j++;
      if (a!.oid === b!.oid && a!.mode === b!.mode) continue;
      if (isTree(a!) && isTree(b!)) changes.push(...(await treeChanges(store, a!.oid, b!.oid, `${path}/`)));
      else if (isTree(a!) || isTree(b!)) {
        changes.push(...(isTree(a!) ? await treeChanges(store, a!.oid, null, `${path}/`) : [deleted(a!, path)]));
        changes.push(...(isTree(b!) ? await treeChanges(store, null, b!.oid, `${path}/`) : [added(b!, path)]));
      } else changes.push({ path, status: "modified", oldOid: a!.oid, newOid: b!.oid, oldMode: a!.mode, newMode: b!.mode });
    }
  }
  return changes;
}

/** The changes between two trees with renames paired, at most DIFF_CAPS.files of them. */
export async function fileChanges(store: ObjectStore, oldTree: string | null, newTree: string | null): Promise<{ files: FileChange[]; truncated: boolean }> {
  const changes = await pairRenames(store, await treeChanges(store, oldTree, newTree));
  return { files: changes.slice(0, DIFF_CAPS.files), truncated: changes.length > DIFF_CAPS.files };
}

/** The changes between two trees with renames paired, patches and counts, within DIFF_CAPS. */
export async function diffTrees(store: ObjectStore, oldTree: string | null, newTree: string | null): Promise<{ files: FilePatch[]; truncated: boolean }> {
  const { files: changes, truncated } = await fileChanges(store, oldTree, newTree);
  const files: FilePatch[] = [];
  let patchBytes = 0;
  for (const change of changes) {
    const file = await patchOf(store, change, DIFF_CAPS.patchBytes - patchBytes);
    patchBytes += file.patch?.length ?? 0;
    files.push(file);
  }
  return { files, truncated };
}

/** A blob's bytes, or null when it is not a stored blob under the size cap (a gitlink, a big file). */
async function blobBytes(store: ObjectStore, oid: string | null): Promise<Uint8Array | null> {
  if (oid === null) return new Uint8Array(0);
  const loc = store.locate(oid);
  if (loc?.type !== OBJ_BLOB || loc.size > DIFF_CAPS.fileBytes) return null;
  return (await store.readAt(loc)).data;
}

async function pairRenames(store: ObjectStore, changes: FileChange[]): Promise<FileChange[]> {
  const deleted = changes.filter((c) => c.status === "deleted");
  const added = changes.filter((c) => c.status === "added");
  if (deleted.length === 0 || added.length === 0) return changes;
  const renames = new Map<FileChange, FileChange>();
  const used = new Set<FileChange>();
  // Exact moves: the same blob.
  for (const add of added) {
    const from = deleted.find((d) => !used.has(d) && d.oldOid === add.newOid);
    if (from) {
      renames.set(add, from);
      used.add(from);
    }
  }
  const left = deleted.filter((d) => !used.has(d));
  const unpaired = added.filter((a) => !renames.has(a));
  if (left.length > 0 && unpaired.length > 0 && left.length * unpaired.length <= DIFF_CAPS.renamePairs) {
    const scored: { add: FileChange; from: FileChange; score: number }[] = [];
    const lines = new Map<FileChange, Map<string, number> | null>();
    const linesOf = async (c: FileChange, oid: string | null) => {
      if (!lines.has(c)) {
        const data = await blobBytes(store, oid);
        lines.set(c, data && !isBinary(data) ? lineCounts(data) : null);
      }
      return lines.get(c)!;
    };
    for (const from of left) {
      for (const add of unpaired) {
        const a = await linesOf(from, from.oldOid);
        const b = await linesOf(add, add.newOid);
        if (a && b) scored.push({ add, from, score: similarity(a, b) });
      }
    }
    scored.sort((x, y) => y.score - x.score);
    for (const { add, from, score } of scored) {
      if (score < 0.5 || used.has(from) || renames.has(add)) continue;
      renames.set(add, from);
      used.add(from);
    }
  }
  const result: FileChange[] = [];
  for (const c of changes) {
    if (used.has(c)) continue;
    const from = renames.get(c);
    result.push(from ? { ...c, status: "renamed", previousPath: from.path, oldOid: from.oldOid, oldMode: from.oldMode } : c);
  }
  return result;
}

/** How many times each line (with its newline) occurs. */
function lineCounts(data: Uint8Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of new TextDecoder().decode(data).split(/(?<=\n)/)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/** Bytes of lines the two files share, over the larger file's bytes. */
function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const [line, n] of a) {
    sizeA += line.length * n;
    shared += line.length * Math.min(n, b.get(line) ?? 0);
  }
  for (const [line, n] of b) sizeB += line.length * n;
  const larger = Math.max(sizeA, sizeB);
  return larger === 0 ? 1 : shared / larger;
}

async function patchOf(store: ObjectStore, change: FileChange, patchRoom: number): Promise<FilePatch> {
  const [before, after] = await Promise.all([blobBytes(store, change.oldOid), blobBytes(store, change.newOid)]);
  if (!before || !after) return { ...change, binary: false, additions: 0, deletions: 0, patchTruncated: true };
  if (isBinary(before) || isBinary(after)) return { ...change, binary: true, additions: 0, deletions: 0 };
  const decoder = new TextDecoder();
  const { hunks } = structuredPatch(change.previousPath ?? change.path, change.path, decoder.decode(before), decoder.decode(after), "", "", { context: 3 });
  let additions = 0;
  let deletions = 0;
  const text: string[] = [];
  for (const h of hunks) {
    text.push(`@@ -${hunkRange(h.oldStart, h.oldLines)} +${hunkRange(h.newStart, h.newLines)} @@`, ...h.lines);
    for (const line of h.lines) {
      if (line[0] === "+") additions++;
      else if (line[0] === "-") deletions++;
    }
  }
  const patch = text.join("\n");
  return patch.length <= patchRoom ? { ...change, binary: false, additions, deletions, patch } : { ...change, binary: false, additions, deletions, patchTruncated: true };
}

/** A hunk header's range as git writes it: "5" for one line, "0,0" before the first line of an empty side. */
function hunkRange(start: number, lines: number): string {
  if (lines === 1) return String(start);
  return `${lines === 0 ? start - 1 : start},${lines}`;
}
