// Object ids: SHA-1 over "<type> <size>\0<content>" (gitformat-pack.adoc; git's loose object format).
import { createHash } from "node:crypto";
import { typeName } from "./types";

export function objectId(type: number, data: Uint8Array): string {
  return createHash("sha1").update(`${typeName(type)} ${data.length}\0`).update(data).digest("hex");
}
