// Request bodies, and reading a byte stream in large pieces. A request body reaches the Durable Object in pieces of a few KiB,
// and each read through the stream machinery costs far more than copying its bytes, so where the
// runtime offers it (workerd's BYOB `readAtLeast`) every read waits for at least 64 KiB, into one
// buffer used over and over: a fresh buffer per read would be hundreds of MB of garbage per large push.
import { ProtocolError } from "../errors";

/** The pieces of a stream, in order; null at its end. A piece is valid only until the next read. */
export interface ChunkSource {
  read(): Promise<Uint8Array | null>;
  /**
   * Reads the rest to its end, unused. An answer given before the end of a request body must not leave
   * it half read: the runtime would go on reading it after the response, and cancelling it breaks the
   * connection the sender is still writing to. The platform caps request bodies, which bounds this.
   */
  discardRest(): Promise<void>;
}

const MIN_READ = 64 * 1024;
const READ_BUFFER = 128 * 1024;

type ReadAtLeast = (min: number, view: Uint8Array) => Promise<ReadableStreamReadResult<Uint8Array>>;

export function chunkSource(stream: ReadableStream<Uint8Array>): ChunkSource {
  const byob = byobReader(stream);
  const readAtLeast = byob && (byob as unknown as { readAtLeast?: ReadAtLeast }).readAtLeast;
  if (byob && readAtLeast) {
    // A BYOB read transfers the buffer it is given and returns a view of it, whose buffer the next read takes.
    let buffer = new ArrayBuffer(READ_BUFFER);
    let finished = false;
    return {
      async read() {
        while (!finished) {
          const { value, done } = await readAtLeast.call(byob, MIN_READ, new Uint8Array(buffer));
          if (value) buffer = value.buffer as ArrayBuffer;
          finished = done;
          if (value && value.length > 0) return value;
        }
        return null;
      },
      async discardRest() {
        while (!finished) {
          const { value, done } = await readAtLeast.call(byob, MIN_READ, new Uint8Array(buffer)).catch(() => ({ value: undefined, done: true }));
          if (value) buffer = value.buffer as ArrayBuffer;
          finished = done;
        }
      },
    };
  }
  const reader = stream.getReader();
  return {
    async read() {
      const { value, done } = await reader.read();
      return done ? null : value;
    },
    async discardRest() {
      for (let done = false; !done; ) done = (await reader.read().catch(() => ({ done: true }))).done;
    },
  };
}

/** A BYOB reader when the stream is a byte stream (a request body is), else undefined. */
function byobReader(stream: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return stream.getReader({ mode: "byob" });
  } catch {
    return undefined;
  }
}

/** A source that yields `first` (when not empty), then the rest of `source`. */
export function prepend(first: Uint8Array, source: ChunkSource): ChunkSource {
  let pending: Uint8Array | null = first.length > 0 ? first : null;
  return {
    read() {
      const head = pending;
      pending = null;
      return head ? Promise.resolve(head) : source.read();
    },
    discardRest: () => source.discardRest(),
  };
}

/** Reads a whole stream, unused (see ChunkSource.discardRest). */
export function discardStream(stream: ReadableStream<Uint8Array> | null): Promise<void> {
  return stream && !stream.locked ? chunkSource(stream).discardRest() : Promise.resolve();
}

/**
 * The request body, inflated as a stream when it is gzipped (git gzips requests over about 1 KiB); a
 * body that is not valid gzip fails its reader with a ProtocolError, not a bare TypeError.
 */
export function requestBody(request: Request): ReadableStream<Uint8Array> {
  const body = request.body ?? new Response(new Uint8Array(0)).body!;
  if (request.headers.get("Content-Encoding")?.toLowerCase() !== "gzip") return body;
  const reader = body.pipeThrough(new DecompressionStream("gzip")).getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        controller.error(new ProtocolError(`the request body is not valid gzip (${(e as Error).message})`));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
