// Reading a small request body whole (durable/service/read-body.ts): the pieces joined, a body of
// exactly the limit accepted, and one over it refused with a LimitError (413) once the rest is read, unused.
import { describe, expect, it } from "vitest";
import { LimitError } from "../../../durable/errors";
import { readBody } from "../../../durable/service/read-body";

/** A stream of `pieces`, noting how many were pulled and why it was cancelled. */
function streamOf(pieces: Uint8Array[]) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[seen.pulled++];
      if (piece) controller.enqueue(piece);
      else controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

describe("readBody", () => {
  it("joins the pieces of a body in order", async () => {
    const { stream } = streamOf([bytes(3, 1), bytes(0), bytes(2, 2), bytes(1, 3)]);
    expect(await readBody(stream, 100)).toEqual(new Uint8Array([1, 1, 1, 2, 2, 3]));
  });

  it("reads an empty body as no bytes", async () => {
    expect(await readBody(new Response("").body!, 10)).toEqual(new Uint8Array(0));
  });

  it("accepts a body of exactly the limit", async () => {
    const { stream, seen } = streamOf([bytes(6), bytes(4)]);
    expect((await readBody(stream, 10)).length).toBe(10);
    expect(seen.cancelled).toBe(false);
  });

  it("refuses a body over the limit with a LimitError, after reading the rest unused (never cancelled, never left half read)", async () => {
    const { stream, seen } = streamOf([bytes(6), bytes(5), bytes(1000), bytes(1000)]);
    const err = await readBody(stream, 10).catch((e) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect(err.status).toBe(413);
    expect(err.message).toBe("request body is over the limit of 10 bytes");
    expect(seen.cancelled).toBe(false);
    expect(seen.pulled).toBe(5); // all four pieces, then the end
  });

  it("refuses a single piece over the limit", async () => {
    await expect(readBody(new Response(bytes(11)).body!, 10)).rejects.toBeInstanceOf(LimitError);
  });
});
