import { describe, expect, it } from "vitest";
import { deflateSync } from "node:zlib";
import { InflateError } from "../../../durable/errors";
import { inflate, inflateInto, inflateTransient } from "../../../durable/pack/inflate";

const text = new TextEncoder().encode("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n".repeat(50));
const stream = new Uint8Array(deflateSync(text));

function failure(fn: () => unknown): InflateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InflateError) return e;
    throw e;
  }
  throw new Error("did not fail");
}

describe("inflateInto", () => {
  it("writes the data and returns the stream's length, ignoring the bytes after it", () => {
    const input = new Uint8Array(stream.length + 9);
    input.set(stream);
    input.fill(0x78, stream.length);
    const out = new Uint8Array(text.length + 1);
    expect(inflateInto(input, out, text.length)).toBe(stream.length);
    expect(out.subarray(0, text.length)).toEqual(text);
  });

  it("reports a stream cut short as truncated, anywhere up to its last byte", () => {
    for (const cut of [2, stream.length >> 1, stream.length - 4, stream.length - 1]) {
      expect(failure(() => inflate(stream.subarray(0, cut), text.length)).truncated).toBe(true);
    }
  });

  it("reports corrupt data, a wrong checksum and a wrong size as not truncated", () => {
    const bad = Uint8Array.from(stream);
    bad[bad.length - 1] ^= 0xff;
    expect(failure(() => inflate(bad, text.length)).truncated).toBe(false);
    expect(failure(() => inflate(Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff), 5)).truncated).toBe(false);
    expect(failure(() => inflate(stream, text.length - 1)).message).toMatch(/more than/);
    expect(failure(() => inflate(stream, text.length + 1)).message).toMatch(/not/);
  });

  it("keeps working after a failure, with the transient buffer too", () => {
    failure(() => inflate(stream.subarray(0, 10), text.length));
    expect(inflateTransient(stream, text.length)).toEqual(text);
    expect(inflate(new Uint8Array(deflateSync(new Uint8Array(0))), 0)).toEqual(new Uint8Array(0));
  });
});
