// X-Hub-Signature-256 (durable/hooks/signature.ts), against the example in GitHub's documentation
// for validating webhook deliveries, and the retry backoff (durable/hooks/retry.ts).
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../../durable/hooks/retry";
import { signature } from "../../../durable/hooks/signature";

describe("webhook signatures and retries", () => {
  it("signs as GitHub does: sha256= and the hex HMAC-SHA256 of the body", async () => {
    expect(await signature("It's a Secret to Everybody", "Hello, World!")).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  });

  it("doubles the wait after each failure, up to 15 minutes", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 10_000))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(30, 10_000)).toBe(15 * 60_000);
  });
});
