// GET tree/{ref}/{path}: a directory's entries with mode, type, id and size (blob sizes from the
// object index, no blob is inflated), recursive=1 for everything below up to a cap. GET
// blob/{ref}/{path}: a file's metadata and, for text under a cap, its content; an LFS pointer says so.
// GET raw/{ref}/{path}: the file's bytes with a content type, Range and the blob id as ETag; an LFS
// pointer redirects to its object's download (served by the Worker from R2, with the same access check).
// Each answer named by a full commit id is immutable (view.ts).
import { parseNamedTree } from "../../pack/parse-object";
import { OBJ_BLOB, OBJ_TREE } from "../../pack/types";
import { parseEntryHeader } from "../../pack/entry";
import { ApiError } from "../../errors";
import { isBinary } from "../../browse/diff";
import { entryAt, rootTree, type PathEntry } from "../../browse/tree-path";
import type { Repository } from "../../repository";
import { contentRange, parseRange } from "../../../worker/http-range";
import type { ApiContext } from "../context";
import { readQuery } from "../params";
import { repoPath } from "./commits";
import { cacheHeaders, json, notModified, refView, revisionAndPath } from "./view";

/** Entries listed by a recursive tree at most. */
const MAX_RECURSIVE_ENTRIES = 10_000;
/** Text content in a blob answer at most. */
const MAX_BLOB_CONTENT = 1024 * 1024;

const TYPES: Record<string, string> = { "40000": "tree", "160000": "commit" };

/** The pointer file Git LFS commits in place of a file (git-lfs docs/spec.md), or null. */
export function lfsPointer(data: Uint8Array): { oid: string; size: number } | null {
  if (data.length > 1024) return null;
  const m = /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:[a-z0-9.-]+ .*\n)*?oid sha256:([0-9a-f]{64})\nsize (\d+)\n/.exec(new TextDecoder().decode(data));
  return m ? { oid: m[1]!, size: Number(m[2]) } : null;
}

interface Located {
  commit: string;
  name: string;
  path: string;
  entry: PathEntry;
}

async function locatePath(repo: Repository, url: URL, rest: string, headersFor: (l: Located) => Headers, request: Request): Promise<{ located: Located; headers: Headers } | Response> {
  const view = refView(repo, readQuery(url, ["at", "recursive"]).get("at"));
  const { revision, name, path: rawPath } = await revisionAndPath(repo, view, rest);
  const path = repoPath(rawPath);
  const entry = await entryAt(repo.store, await rootTree(repo.store, revision.commit), path);
  if (!entry) throw new ApiError(404, `no path '${path}' in ${name}`);
  const located = { commit: revision.commit, name, path, entry };
  const headers = headersFor(located);
  return notModified(request, headers) ?? { located, headers };
}

export async function getTree({ repo, request, url, params }: ApiContext): Promise<Response> {
  const found = await locatePath(repo, url, params.rest!, (l) => cacheHeaders(repo, l.commit, l.name === l.commit), request);
  if (found instanceof Response) return found;
  const { located, headers } = found;
  if (located.entry.mode !== "40000") throw new ApiError(404, `'${located.path}' in ${located.name} is a file, not a directory: ask blob/ for it`);
  const recursive = ["1", "true"].includes(url.searchParams.get("recursive") ?? "");
  const entries: TreeEntryJson[] = [];
  const truncated = !(await listTree(repo, located.entry.oid, located.path ? `${located.path}/` : "", recursive, entries));
  return json({ commit: located.commit, ref: located.name, path: located.path, oid: located.entry.oid, entries, truncated }, headers);
}

interface TreeEntryJson {
  name: string;
  path: string;
  mode: string;
  type: string;
  oid: string;
  size: number | null;
}

/** Appends the entries of tree `oid` to `out`, depth first in tree order as git ls-tree -r lists them; false once the cap is reached. */
async function listTree(repo: Repository, oid: string, prefix: string, recursive: boolean, out: TreeEntryJson[]): Promise<boolean> {
  const object = await repo.store.read(oid);
  if (object?.type !== OBJ_TREE) return true;
  const children = parseNamedTree(object.data);
  const sizes = repo.store.locateMany(children.filter((c) => !TYPES[c.mode]).map((c) => c.oid));
  for (const c of children) {
    if (out.length === MAX_RECURSIVE_ENTRIES) return false;
    const path = `${prefix}${c.name}`;
    out.push({ name: c.name, path, mode: c.mode.padStart(6, "0"), type: TYPES[c.mode] ?? "blob", oid: c.oid, size: TYPES[c.mode] ? null : (sizes.get(c.oid)?.size ?? null) });
    if (recursive && c.mode === "40000" && !(await listTree(repo, c.oid, `${path}/`, true, out))) return false;
  }
  return true;
}

/** The blob at a located path, or 404 when the path is a directory or a submodule. */
function blobAt(repo: Repository, l: Located): { oid: string; size: number } {
  const loc = l.entry.mode === "40000" || l.entry.mode === "160000" ? null : repo.store.locate(l.entry.oid);
  if (loc?.type !== OBJ_BLOB) throw new ApiError(404, `'${l.path}' in ${l.name} is not a file: ask tree/ for a directory`);
  return { oid: l.entry.oid, size: loc.size };
}

export async function getBlob({ repo, request, url, params }: ApiContext): Promise<Response> {
  const found = await locatePath(repo, url, params.rest!, (l) => cacheHeaders(repo, l.commit, l.name === l.commit), request);
  if (found instanceof Response) return found;
  const { located, headers } = found;
  const blob = blobAt(repo, located);
  const base = { commit: located.commit, ref: located.name, path: located.path, name: located.path.split("/").pop(), mode: located.entry.mode, oid: blob.oid, size: blob.size };
  if (blob.size > MAX_BLOB_CONTENT) return json({ ...base, binary: null, truncated: true }, headers);
  const { data } = (await repo.store.read(blob.oid))!;
  const pointer = lfsPointer(data);
  const binary = isBinary(data);
  return json({ ...base, binary, truncated: false, ...(binary ? {} : { encoding: "utf-8", content: new TextDecoder().decode(data) }), ...(pointer ? { lfs: pointer } : {}) }, headers);
}

const CONTENT_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", ico: "image/x-icon", pdf: "application/pdf" };

export async function getRaw({ repo, request, url, params }: ApiContext): Promise<Response> {
  // The answer depends only on the blob: its id is the ETag, whatever ref named it.
  const found = await locatePath(repo, url, params.rest!, (l) => cacheHeaders(repo, l.entry.oid, l.name === l.commit), request);
  if (found instanceof Response) return found;
  const { located, headers } = found;
  const blob = blobAt(repo, located);
  // Named by a ref, the bytes may change with it: kept five minutes (GitHub's raw files are kept as long).
  headers.set("Cache-Control", headers.get("Cache-Control")!.replace("no-cache", "max-age=300"));
  // Raw bytes are never run as a page of this origin.
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
  const extension = located.path.split(".").pop()?.toLowerCase() ?? "";
  if (blob.size > repo.settings.objects.bigBytes) return streamBig(repo, blob, headers, CONTENT_TYPES[extension] ?? "application/octet-stream");
  const { data } = (await repo.store.read(blob.oid))!;
  const pointer = lfsPointer(data);
  if (pointer) {
    const repoUrl = url.pathname.replace(/^\/api\/repos\/([^/]+)\/([^/]+)\/.*$/, "/$1/$2.git");
    headers.set("Location", `${repoUrl}/info/lfs/objects/${pointer.oid}`);
    return new Response(null, { status: 302, headers });
  }
  headers.set("Content-Type", CONTENT_TYPES[extension] ?? (isBinary(data) ? "application/octet-stream" : "text/plain; charset=utf-8"));
  headers.set("Accept-Ranges", "bytes");
  const range = parseRange(request.headers.get("Range"), data.length);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${data.length}`);
    return new Response(null, { status: 416, headers });
  }
  if (range === "whole") return new Response(data, { headers });
  headers.set("Content-Range", contentRange(range, data.length));
  return new Response(data.subarray(range.offset, range.offset + range.length), { status: 206, headers });
}

/**
 * A blob over BIG_OBJECT_BYTES, inflated as it is sent from its stored entry, never held whole. A big
 * blob stored as a delta would need its base rebuilt first: that is refused, pointing to git.
 */
async function streamBig(repo: Repository, blob: { oid: string; size: number }, headers: Headers, type: string): Promise<Response> {
  const loc = repo.store.locate(blob.oid)!;
  if (loc.baseOid) throw new ApiError(422, `this file is ${blob.size} bytes, stored as a delta; fetch it with git (git show <rev>:<path>), or ask again after housekeeping`);
  const head = await repo.packs.read(loc.packId, loc.offset, Math.min(loc.end, loc.offset + 32));
  const header = parseEntryHeader(head, 0);
  if (!header) throw new ApiError(500, `object ${blob.oid} has a truncated entry`);
  const pieces = repo.packs.pieces(loc.packId, loc.offset + header.headerLength, loc.end);
  const compressed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await pieces.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  headers.set("Content-Type", type);
  headers.set("Content-Length", String(blob.size));
  return new Response(compressed.pipeThrough(new DecompressionStream("deflate")), { headers });
}
