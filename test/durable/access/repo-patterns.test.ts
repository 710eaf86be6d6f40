// Repository patterns of tokens (durable/access/repo-patterns.ts): which names they cover, which
// patterns a minting token may hand on, and which patterns are refused.
import { describe, expect, it } from "vitest";
import { checkRepoPattern, coversPattern, coversRepo } from "../../../durable/access/repo-patterns";

describe("repository patterns", () => {
  it("cover exact names, an owner's repositories, or all", () => {
    expect(coversRepo(["alice/site"], "alice/site")).toBe(true);
    expect(coversRepo(["alice/site"], "alice/site2")).toBe(false);
    expect(coversRepo(["alice/*"], "alice/anything")).toBe(true);
    expect(coversRepo(["alice/*"], "alicex/y")).toBe(false);
    expect(coversRepo(["*"], "bob/x")).toBe(true);
    expect(coversRepo([], "bob/x")).toBe(false);
  });

  it("let a token hand on only what it covers", () => {
    expect(coversPattern(["alice/*"], "alice/site")).toBe(true);
    expect(coversPattern(["alice/*"], "alice/*")).toBe(true);
    expect(coversPattern(["alice/*"], "*")).toBe(false);
    expect(coversPattern(["alice/site"], "alice/*")).toBe(false);
    expect(coversPattern(["*"], "*")).toBe(true);
  });

  it("refuse what is not owner/name, owner/* or *", () => {
    for (const ok of ["*", "alice/*", "alice/site.git2", "a-b/c_d"]) expect(checkRepoPattern(ok), ok).toBeNull();
    for (const bad of ["alice", "*/site", "alice/site/x", ".hidden/x", "alice/.x", "a b/c", "", "alice/"]) expect(checkRepoPattern(bad), bad).not.toBeNull();
  });
});
