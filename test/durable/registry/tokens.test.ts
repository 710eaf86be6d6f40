// The tokens table (durable/registry/tokens.ts): only a salted hash is stored; a check finds the
// token by its id and accepts only its exact secret, before it expires and until it is revoked.
import { describe, expect, it } from "vitest";
import { checkToken, listTokens, mintToken, revokeToken } from "../../../durable/registry/tokens";
import { inRegistry } from "../../support/workerd/registry";

const SPEC = { name: "ci", repos: ["alice/*"], scopes: ["write" as const], expiresAt: null, createdBy: "admin" };

describe("tokens", () => {
  it("stores no secret, only a salted hash", async () => {
    await inRegistry(async (sql) => {
      const { token } = await mintToken(sql, SPEC, 1000);
      const row = sql.exec<Record<string, string>>("SELECT * FROM tokens").one();
      expect(Object.values(row).some((v) => String(v).includes(token.slice(-40)))).toBe(false);
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(listTokens(sql)[0]).not.toHaveProperty("token");
    });
  });

  it("accepts the exact secret only", async () => {
    await inRegistry(async (sql) => {
      const { token, id } = await mintToken(sql, SPEC, 1000);
      expect((await checkToken(sql, token, 2000))?.id).toBe(id);
      const flipped = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
      expect(await checkToken(sql, flipped, 2000)).toBeNull();
      expect(await checkToken(sql, `gow_${"0".repeat(16)}_${"0".repeat(40)}`, 2000)).toBeNull();
      expect(await checkToken(sql, "not a token", 2000)).toBeNull();
    });
  });

  it("refuses an expired token, and one revoked", async () => {
    await inRegistry(async (sql) => {
      const expiring = await mintToken(sql, { ...SPEC, expiresAt: 5000 }, 1000);
      expect(await checkToken(sql, expiring.token, 4999)).not.toBeNull();
      expect(await checkToken(sql, expiring.token, 5000)).toBeNull();
      const revoked = await mintToken(sql, SPEC, 1000);
      expect(revokeToken(sql, revoked.id)).toBe(true);
      expect(await checkToken(sql, revoked.token, 2000)).toBeNull();
      expect(revokeToken(sql, revoked.id)).toBe(false);
    });
  });

  it("notes the last use at most once a minute", async () => {
    await inRegistry(async (sql) => {
      const { token } = await mintToken(sql, SPEC, 0);
      await checkToken(sql, token, 10_000);
      await checkToken(sql, token, 30_000);
      expect(listTokens(sql)[0]!.lastUsedAt).toBe(10_000);
      await checkToken(sql, token, 70_000);
      expect(listTokens(sql)[0]!.lastUsedAt).toBe(70_000);
    });
  });
});
