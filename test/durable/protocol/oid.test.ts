import { describe, expect, it } from "vitest";
import { isOid, ZERO_OID } from "../../../durable/protocol/oid";

describe("oid", () => {
  it("has a 40-zero null id", () => {
    expect(ZERO_OID).toBe("0000000000000000000000000000000000000000");
    expect(isOid(ZERO_OID)).toBe(true);
  });

  it("accepts only 40 lowercase hex digits", () => {
    expect(isOid("74730d410fcb6603ace96f1dc55ea6196122532d")).toBe(true);
    expect(isOid("74730D410FCB6603ACE96F1DC55EA6196122532D")).toBe(false);
    expect(isOid("74730d410fcb6603ace96f1dc55ea6196122532")).toBe(false);
    expect(isOid("74730d410fcb6603ace96f1dc55ea6196122532dd")).toBe(false);
    expect(isOid("74730d410fcb6603ace96f1dc55ea6196122532g")).toBe(false);
    expect(isOid("74730d410fcb6603ace96f1dc55ea6196122532d\n")).toBe(false);
    expect(isOid("")).toBe(false);
  });
});
