// Reads a small request body whole, refusing one larger than a limit.
import { concatBytes } from "../protocol/pktline";

/** A request the client got wrong: answered with 400 and this message. */
export class RequestError extends Error {}

export async function readBody(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return concatBytes(parts);
    total += value.length;
    if (total > limit) throw new RequestError(`request body is larger than ${limit} bytes`);
    parts.push(value);
  }
}
