// What a partial clone's object filter (protocol/filter-spec.ts) lets a fetch send, as the history walk
// asks it: whether an object it reached is sent, and whether the trees of a level must be read at all.
// Objects a want names are sent whatever the filter says, as git's list-objects-filter does for objects
// the user gave; a combine: sends what every one of its filters sends.
import type { ObjectFilter } from "../protocol/filter-spec";
import { filterParts } from "../protocol/filter-spec";
import { OBJ_BLOB, OBJ_COMMIT, OBJ_TAG, OBJ_TREE } from "../pack/types";

export class FilterPlan {
  private readonly parts: ObjectFilter[];
  /** Whether blobs must be located to learn their size before they are sent (blob:limit). */
  readonly needsBlobSizes: boolean;

  /** The smallest blob:limit: a blob under it is kept by every blob:limit part (Infinity without one). */
  readonly blobLimit: number;

  constructor(filter: ObjectFilter) {
    this.parts = filterParts(filter);
    this.needsBlobSizes = this.parts.some((p) => p.kind === "blob:limit");
    this.blobLimit = Math.min(...this.parts.map((p) => (p.kind === "blob:limit" ? p.bytes : Infinity)));
  }

  /**
   * Whether what the filter keeps depends on an object's type and size only, not on where a walk meets
   * it: true unless a tree:<depth> part has a depth above 0 (tree:0 keeps no tree or blob at all).
   */
  get byTypeAndSize(): boolean {
    return this.parts.every((p) => p.kind !== "tree" || p.depth === 0);
  }

  /**
   * Whether an object the walk reached is sent. `depth`: for trees and blobs, the levels below a commit's
   * root tree (the root is 0); `size`: a blob's, when needsBlobSizes.
   */
  keeps(type: number, depth = 0, size = 0): boolean {
    return this.parts.every((p) => keptBy(p, type, depth, size));
  }

  /** Whether the entries of a tree at `depth` can hold anything that is sent. */
  descends(depth: number): boolean {
    return this.parts.every((p) => (p.kind === "tree" ? depth + 1 < p.depth : p.kind !== "object:type" || (p.type !== OBJ_COMMIT && p.type !== OBJ_TAG)));
  }
}

function keptBy(filter: ObjectFilter, type: number, depth: number, size: number): boolean {
  switch (filter.kind) {
    case "blob:none":
      return type !== OBJ_BLOB;
    case "blob:limit":
      return type !== OBJ_BLOB || size < filter.bytes;
    case "tree":
      return (type !== OBJ_TREE && type !== OBJ_BLOB) || depth < filter.depth;
    case "object:type":
      return type === filter.type;
    default:
      return true;
  }
}
