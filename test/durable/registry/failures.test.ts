// Failed authentications per address (durable/registry/failures.ts): refused past the limit until
// the window ends, each address on its own, and ended windows forgotten.
import { describe, expect, it } from "vitest";
import { blockedFor, recordFailure } from "../../../durable/registry/failures";
import { inRegistry } from "../../support/workerd/registry";

const RULE = { limit: 3, windowMs: 60_000 };

describe("failure limit", () => {
  it("blocks an address after the limit until its window ends", async () => {
    await inRegistry((sql) => {
      for (let i = 0; i < 2; i++) recordFailure(sql, "1.2.3.4", RULE, 1000 + i);
      expect(blockedFor(sql, "1.2.3.4", RULE, 2000)).toBe(0);
      recordFailure(sql, "1.2.3.4", RULE, 2000);
      expect(blockedFor(sql, "1.2.3.4", RULE, 2000)).toBe(59_000);
      expect(blockedFor(sql, "5.6.7.8", RULE, 2000)).toBe(0);
      expect(blockedFor(sql, "1.2.3.4", RULE, 61_000)).toBe(0);
    });
  });

  it("starts a new window once the old one has ended, and forgets other ended windows", async () => {
    await inRegistry((sql) => {
      for (let i = 0; i < 3; i++) recordFailure(sql, "a", RULE, 0);
      recordFailure(sql, "b", RULE, 0);
      recordFailure(sql, "a", RULE, 60_000);
      expect(sql.exec("SELECT client, failures FROM auth_failures").toArray()).toEqual([{ client: "a", failures: 1 }]);
    });
  });
});
