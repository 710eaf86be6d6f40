// Token secrets (durable/registry/secrets.ts): the recognisable format, salted hashes, and that every
// comparison goes through the platform's constant-time equality.
import { afterEach, describe, expect, it, vi } from "vitest";
import { equalBytes, newToken, sameSecret, saltedHash, TOKEN_PATTERN } from "../../../durable/registry/secrets";

afterEach(() => vi.restoreAllMocks());

describe("token secrets", () => {
  it("look like gow_<id>_<secret> and are never the same twice", () => {
    const a = newToken();
    const b = newToken();
    expect(a.token).toMatch(TOKEN_PATTERN);
    expect(TOKEN_PATTERN.exec(a.token)![1]).toBe(a.id);
    expect(a.token).not.toBe(b.token);
  });

  it("hash differently under different salts", async () => {
    expect(await saltedHash("s1", "x")).not.toEqual(await saltedHash("s2", "x"));
    expect(await saltedHash("s1", "x")).toEqual(await saltedHash("s1", "x"));
  });

  it("are compared with crypto.subtle.timingSafeEqual, over hashes of equal length", async () => {
    const spy = vi.spyOn(crypto.subtle, "timingSafeEqual");
    expect(await sameSecret("admin-secret", "admin-secret")).toBe(true);
    expect(await sameSecret("admin-secret", "admin-secreT")).toBe(false);
    expect(await sameSecret("admin-secret", "a")).toBe(false);
    expect(spy).toHaveBeenCalledTimes(3);
    expect(equalBytes(new Uint8Array(2), new Uint8Array(3))).toBe(false);
  });
});
