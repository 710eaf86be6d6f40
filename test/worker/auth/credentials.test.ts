// The secret a request presents (worker/auth/credentials.ts): Basic with any username, Bearer, and
// the malformed forms, which count as a wrong secret rather than as none.
import { describe, expect, it } from "vitest";
import { presentedSecret } from "../../../worker/auth/credentials";

describe("presentedSecret", () => {
  it("is null without an Authorization header", () => {
    expect(presentedSecret(null)).toBeNull();
  });

  it("takes the password of Basic auth, whatever the username, colons and all", () => {
    expect(presentedSecret(`Basic ${btoa("x:gow_abc")}`)).toBe("gow_abc");
    expect(presentedSecret(`basic ${btoa(":s:e:c")}`)).toBe("s:e:c");
  });

  it("takes a Bearer token", () => {
    expect(presentedSecret("Bearer gow_abc")).toBe("gow_abc");
    expect(presentedSecret("bearer   t")).toBe("t");
  });

  it('answers "" for credentials that do not parse', () => {
    for (const header of ["Basic !!!", `Basic ${btoa("no-colon")}`, "Digest x", "Bearer", ""]) expect(presentedSecret(header), header).toBe("");
  });
});
