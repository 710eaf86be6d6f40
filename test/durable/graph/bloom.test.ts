// The changed-path Bloom filter (durable/graph/bloom.ts): murmur3 against the published test values
// (the ones git's t0095-bloom checks), leading directories, certain absence, and the cap.
import { describe, expect, it } from "vitest";
import { BLOOM, bloomFilter, mayHaveChanged, murmur3, pathKeys } from "../../../durable/graph/bloom";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("murmur3", () => {
  it("gives MurmurHash3 x86_32's values", () => {
    expect(murmur3(bytes(""), 0)).toBe(0);
    expect(murmur3(bytes(""), 1)).toBe(0x514e28b7);
    expect(murmur3(bytes("Hello world!"), 0)).toBe(0x627b0c2c);
    expect(murmur3(bytes("The quick brown fox jumps over the lazy dog"), 0)).toBe(0x2e4ff723);
    expect(murmur3(bytes("The quick brown fox jumps over the lazy dog"), 0x9747b28c)).toBe(0x2fa826cd);
  });
});

describe("changed-path filters", () => {
  it("hold each path with its leading directories", () => {
    expect(pathKeys("a/b/c.txt")).toEqual(["a/b/c.txt", "a/b", "a"]);
    expect(pathKeys("top")).toEqual(["top"]);
  });

  it("answer maybe for every path put in, and its directories", () => {
    const paths = new Set(["src/lib/x.ts", "src/lib", "src", "README.md"]);
    const filter = bloomFilter(paths)!;
    expect(filter.length).toBe(Math.ceil((paths.size * BLOOM.bitsPerPath) / 8));
    for (const p of ["src/lib/x.ts", "src/lib", "src", "README.md"]) expect(mayHaveChanged(filter, p)).toBe(true);
  });

  it("rule out most paths that were not put in", () => {
    const paths = new Set<string>();
    for (let i = 0; i < 100; i++) paths.add(`dir/file-${i}.txt`);
    paths.add("dir");
    const filter = bloomFilter(paths)!;
    let maybe = 0;
    for (let i = 0; i < 1000; i++) if (mayHaveChanged(filter, `other/file-${i}.txt`)) maybe++;
    // Each absent path is two keys (it and "other"), both must pass: far under 1%.
    expect(maybe).toBeLessThan(10);
    // A path under a changed directory is only maybe when its own key passes too.
    expect(mayHaveChanged(filter, "dir/file-5.txt")).toBe(true);
  });

  it("rule out everything after an empty change, and nothing past the cap", () => {
    expect(mayHaveChanged(bloomFilter(new Set())!, "anything")).toBe(false);
    const many = new Set(Array.from({ length: BLOOM.maxPaths + 1 }, (_, i) => `f${i}`));
    expect(bloomFilter(many)).toBeNull();
    expect(mayHaveChanged(null, "anything")).toBe(true);
  });
});
