// Pack object type numbers and names (gitformat-pack.adoc, "Object types").
import { StorageError } from "../errors";
export const OBJ_COMMIT = 1;
export const OBJ_TREE = 2;
export const OBJ_BLOB = 3;
export const OBJ_TAG = 4;
export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;

export type ObjectType = "commit" | "tree" | "blob" | "tag";

const NAMES: Record<number, ObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };

export function typeName(type: number): ObjectType {
  const name = NAMES[type];
  if (!name) throw new StorageError(`not a whole-object type: ${type}`);
  return name;
}

export function typeNumber(name: ObjectType): number {
  return { commit: OBJ_COMMIT, tree: OBJ_TREE, blob: OBJ_BLOB, tag: OBJ_TAG }[name];
}

/** A whole object's type number and content. */
export interface GitObject {
  type: number;
  data: Uint8Array;
}
