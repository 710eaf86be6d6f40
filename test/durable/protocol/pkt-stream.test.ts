import { describe, expect, it } from "vitest";
import { PktStreamReader } from "../../../durable/protocol/pkt-stream";
import { ProtocolError } from "../../../durable/errors";
import type { ChunkSource } from "../../../durable/protocol/chunk-source";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A stream of the given chunks, pulled one at a time; `pulled()` says how many were taken. */
function chunked(chunks: string[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next < chunks.length) controller.enqueue(bytes(chunks[next++]));
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => next };
}

async function readAll(source: ChunkSource): Promise<string> {
  let out = "";
  for (let value = await source.read(); value; value = await source.read()) out += text(value);
  return out;
}

const describePkt = (p: Awaited<ReturnType<PktStreamReader["read"]>>) => (p === null ? null : p.kind === "data" ? text(p.data) : p.kind);

describe("PktStreamReader", () => {
  it("reads packets split across chunks, then null at a clean end", async () => {
    const reader = new PktStreamReader(chunked(["00", "06a", "\n000", "0000", "1", "0005b"]).stream);
    const got = [];
    for (let p = await reader.read(); p; p = await reader.read()) got.push(describePkt(p));
    expect(got).toEqual(["a\n", "flush", "delim", "b"]);
    expect(await reader.read()).toBeNull();
  });

  it("reads only the chunks it needs", async () => {
    const source = chunked(["0006a\n", "0000", "PACK", "data"]);
    const reader = new PktStreamReader(source.stream);
    expect(describePkt(await reader.read())).toBe("a\n");
    expect(source.pulled()).toBe(1);
    expect(describePkt(await reader.read())).toBe("flush");
    expect(source.pulled()).toBe(2);
  });

  it("hands over the buffered bytes and then the rest of the source", async () => {
    const source = chunked(["0006a\n0000PA", "CK", "more"]);
    const reader = new PktStreamReader(source.stream);
    expect(describePkt(await reader.read())).toBe("a\n");
    expect(describePkt(await reader.read())).toBe("flush");
    const rest = reader.rest();
    expect(source.pulled()).toBe(1);
    expect(await readAll(rest)).toBe("PACKmore");
    await expect(reader.read()).rejects.toThrow(ProtocolError);
    // Every byte taken from the stream, whichever reader took it.
    expect(reader.bytesRead).toBe("0006a\n0000PACKmore".length);
  });

  it("hands over an empty rest at the end of the source", async () => {
    const reader = new PktStreamReader(chunked(["0000"]).stream);
    expect(describePkt(await reader.read())).toBe("flush");
    expect(await reader.read()).toBeNull();
    expect(await readAll(reader.rest())).toBe("");
  });

  it("rejects a stream that ends inside a packet", async () => {
    const reader = new PktStreamReader(chunked(["0006a\n", "0009ab"]).stream);
    await reader.read();
    await expect(reader.read()).rejects.toThrow("stream ended inside a pkt-line (6 bytes of it received)");
    await expect(new PktStreamReader(chunked(["00"]).stream).read()).rejects.toThrow(ProtocolError);
  });

  it("rejects a malformed length", async () => {
    await expect(new PktStreamReader(chunked(["zz12abcd"]).stream).read()).rejects.toThrow("malformed pkt-line length 'zz12'");
  });
});
