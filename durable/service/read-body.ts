// Reads a small request body whole, refusing one larger than a limit.
import { humanBytes, LimitError } from "../errors";
import { discardStream } from "../protocol/chunk-source";
import { concatBytes } from "../protocol/pktline";

export async function readBody(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return concatBytes(parts);
    total += value.length;
    if (total > limit) {
      reader.releaseLock();
      await discardStream(body);
      throw new LimitError(`request body is over the limit of ${humanBytes(limit)}`);
    }
    parts.push(value);
  }
}
