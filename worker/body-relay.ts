// Relays a request body to a Durable Object so that the Worker keeps hold of it: when the object
// answers before reading all of it (a refused push, a malformed request), the Worker reads the rest
// to its end, unused, before it answers. The runtime must not read a request body after its response
// is sent, and cancelling it instead drops the connection before the client has read the refusal.
// The platform caps request bodies (100 MB and more by plan), which bounds what is read for nothing.

export interface Relay {
  /** What the Durable Object reads. */
  stream: ReadableStream<Uint8Array>;
  /** Call once the object has answered: reads and drops whatever of the body it did not read. */
  settle(): Promise<void>;
}

export function relayBody(body: ReadableStream<Uint8Array>): Relay {
  const reader = body.getReader();
  let finished = false;
  let reading: Promise<unknown> = Promise.resolve();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const read = reader.read();
      reading = read.catch(() => undefined);
      try {
        const { value, done } = await read;
        if (!done) return controller.enqueue(value);
        finished = true;
        controller.close();
      } catch (e) {
        finished = true;
        controller.error(e);
      }
    },
    cancel() {
      // The object has read all it wants; settle() reads the rest.
    },
  });
  return {
    stream,
    async settle() {
      await reading;
      while (!finished) {
        const { done } = await reader.read().catch(() => ({ done: true }));
        finished = done;
      }
    },
  };
}
