// The access check (durable/access/gate.ts) as a table: every level against every need, public and
// private and missing repositories, with and without credentials, for git and for the API.
import { describe, expect, it } from "vitest";
import { checkAccess, type GateInput } from "../../../durable/access/gate";
import type { Level } from "../../../durable/access/principal";

function outcome(access: Level, presented: boolean, needed: GateInput["needed"], opts: Partial<GateInput> = {}): number {
  try {
    checkAccess({ principal: { actor: "t", actorId: null, access, presented, writesLocked: null }, name: "alice/demo", exists: true, visibility: "private", needed, git: true, ...opts });
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
}

describe("checkAccess", () => {
  it("lets each level do what it includes", () => {
    expect(outcome("read", true, "read")).toBe(200);
    expect(outcome("write", true, "write")).toBe(200);
    expect(outcome("admin", true, "admin")).toBe(200);
    expect(outcome("admin", true, "read")).toBe(200);
  });

  it("answers 403 to a token that may read but not do more", () => {
    expect(outcome("read", true, "write")).toBe(403);
    expect(outcome("write", true, "admin")).toBe(403);
  });

  it("hides a private repository from a token without access, as if it were missing", () => {
    expect(outcome("none", true, "read")).toBe(404);
    expect(outcome("none", true, "write")).toBe(404);
    expect(outcome("none", true, "read", { exists: false })).toBe(404);
  });

  it("asks for credentials (401) for git, and answers 404 for the API, when none were sent to a private repository", () => {
    expect(outcome("none", false, "read")).toBe(401);
    expect(outcome("none", false, "read", { exists: false })).toBe(401);
    expect(outcome("none", false, "read", { git: false })).toBe(404);
    expect(outcome("none", false, "write", { git: false })).toBe(401);
  });

  it("lets anyone read a public repository, and no more", () => {
    expect(outcome("none", false, "read", { visibility: "public" })).toBe(200);
    expect(outcome("none", false, "write", { visibility: "public" })).toBe(401);
    expect(outcome("none", true, "write", { visibility: "public" })).toBe(403);
    expect(outcome("none", false, "read", { visibility: "public", exists: false })).toBe(401);
  });

  it("refuses every write, even the admin's, while writes are locked, and still serves reads", () => {
    const locked = { principal: { actor: "admin", actorId: null, access: "admin" as Level, presented: true, writesLocked: "no ADMIN_TOKEN" }, name: "a/b", exists: true, visibility: "private" as const, git: true };
    expect(() => checkAccess({ ...locked, needed: "write" })).toThrow("no ADMIN_TOKEN");
    expect(() => checkAccess({ ...locked, needed: "read" })).not.toThrow();
  });

  it("names the repository and what is missing", () => {
    expect(() => checkAccess({ principal: { actor: "t", actorId: "i", access: "read", presented: true, writesLocked: null }, name: "alice/demo", exists: true, visibility: "private", needed: "write", git: true })).toThrow("this token cannot write to alice/demo");
  });
});
