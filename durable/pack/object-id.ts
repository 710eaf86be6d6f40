// Object ids: SHA-1 over "<type> <size>\0<content>" (gitformat-pack.adoc; git's loose object format).
// Hashed with the native hash object behind node:crypto's Hash (its kHandle), made anew per object:
// createHash builds a whole stream, readable and writable state included, for each call, which over
// the hundreds of thousands of objects of a large push was most of the heap the isolate allocated.
import { createHash } from "node:crypto";
import { bytesToHex } from "./hex";
import { typeName } from "./types";

interface HashHandle {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

type HashHandleClass = new (algorithm: string, outputLength: undefined) => HashHandle;

let handleClass: HashHandleClass | null = null;

function newSha1(): HashHandle {
  if (!handleClass) {
    const hash = createHash("sha1") as unknown as Record<symbol, HashHandle>;
    const key = Object.getOwnPropertySymbols(hash).find((symbol) => symbol.description === "kHandle");
    if (!key) throw new Error("node:crypto's Hash has no native handle here");
    handleClass = hash[key].constructor as HashHandleClass;
  }
  return new handleClass("sha1", undefined);
}

export function objectId(type: number, data: Uint8Array): string {
  // The header goes in as bytes: a string argument costs a Buffer conversion per object.
  const text = `${typeName(type)} ${data.length}`;
  const header = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) header[i] = text.charCodeAt(i);
  const hash = newSha1();
  hash.update(header);
  hash.update(data);
  return bytesToHex(hash.digest());
}
