// Object ids: SHA-1 over "<type> <size>\0<content>" (gitformat-pack.adoc; git's loose object format).
// Hashed by crypto.subtle.digest over header and content in one buffer: the indexer writes each object
// just after room for its header. node:crypto's Hash makes a native handle per object, freed only by a
// full collection; over a large push's hundreds of thousands of objects those handles grew the heap and
// the process's allocator by about 100 MB per million (measured in workerd), and digest does not.
import { bytesToHex } from "./hex";
import { typeName } from "./types";

/** Bytes of the header "<type> <size>\0" that goes before an object's content. */
export function headerLength(type: number, size: number): number {
  let digits = 1;
  for (let n = size; n >= 10; n = Math.floor(n / 10)) digits++;
  return typeName(type).length + digits + 2;
}

/**
 * The id of the object of `type` whose content is `data`. When the buffer under `data` has
 * headerLength bytes before it, the header is written there (over what they held) and nothing is copied.
 */
export async function objectId(type: number, data: Uint8Array): Promise<string> {
  const lead = headerLength(type, data.length);
  const whole = data.byteOffset >= lead ? new Uint8Array(data.buffer, data.byteOffset - lead, lead + data.length) : withRoom(data, lead);
  const text = `${typeName(type)} ${data.length}`;
  for (let i = 0; i < text.length; i++) whole[i] = text.charCodeAt(i);
  whole[lead - 1] = 0;
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-1", whole)));
}

function withRoom(data: Uint8Array, lead: number): Uint8Array {
  const whole = new Uint8Array(lead + data.length);
  whole.set(data, lead);
  return whole;
}
