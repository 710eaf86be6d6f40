import { describe, expect, it } from "vitest";
import { chunkSource, prepend } from "../../../durable/protocol/chunk-source";
import { bytesToHex } from "../../../durable/pack/hex";
import { concatBytes } from "../../../durable/protocol/pktline";

/** A byte stream of the runtime's own, as a request body is, written in 1000-byte pieces. */
function trickledBody(data: Uint8Array): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  void (async () => {
    const writer = writable.getWriter();
    for (let at = 0; at < data.length; at += 1000) await writer.write(data.slice(at, at + 1000));
    await writer.close();
  })();
  return readable;
}

async function readAll(source: ReturnType<typeof chunkSource>): Promise<{ data: Uint8Array; sizes: number[] }> {
  const parts: Uint8Array[] = [];
  for (let piece = await source.read(); piece; piece = await source.read()) parts.push(piece.slice());
  return { data: concatBytes(parts), sizes: parts.map((p) => p.length) };
}

describe("chunkSource", () => {
  const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);

  it("reads a trickling request body in pieces of at least 64 KiB, but the last", async () => {
    const { data: got, sizes } = await readAll(chunkSource(trickledBody(data)));
    expect(bytesToHex(got)).toBe(bytesToHex(data));
    expect(sizes.slice(0, -1).every((n) => n >= 64 * 1024)).toBe(true);
    expect(sizes.length).toBeLessThanOrEqual(5);
  });

  it("reads any other stream piece by piece", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(data.subarray(0, 10));
        c.enqueue(data.subarray(10));
        c.close();
      },
    });
    const { data: got, sizes } = await readAll(chunkSource(stream));
    expect(bytesToHex(got)).toBe(bytesToHex(data));
    expect(sizes).toEqual([10, data.length - 10]);
  });

  it("prepends bytes already read", async () => {
    const { data: got } = await readAll(prepend(data.subarray(0, 5), chunkSource(trickledBody(data.subarray(5)))));
    expect(bytesToHex(got)).toBe(bytesToHex(data));
  });
});
