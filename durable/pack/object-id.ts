// Object ids: SHA-1 over "<type> <size>\0<content>" (gitformat-pack.adoc; git's loose object format).
import { createHash } from "node:crypto";
import { typeName } from "./types";

export function objectId(type: number, data: Uint8Array): string {
  // The header goes in as bytes: a string argument costs a Buffer conversion per object.
  const text = `${typeName(type)} ${data.length}`;
  const header = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) header[i] = text.charCodeAt(i);
  return createHash("sha1").update(header).update(data).digest("hex");
}
