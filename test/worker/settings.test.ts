// The deployment's settings (worker/settings.ts): defaults for missing vars, values as given, bad
// values falling back to the default, and the DENY_NON_FAST_FORWARD pattern list.
import { describe, expect, it } from "vitest";
import { parseSettings, settings } from "../../worker/settings";

const DAY = 86_400_000;

describe("parseSettings", () => {
  it("has a default for every setting", () => {
    expect(parseSettings({})).toEqual({
      denyNonFastForward: [],
      maxPushBytes: 100 * 1024 * 1024,
      maxImportBytes: 2 * 1024 ** 3,
      objectErrorsRefuse: true,
      objects: { bigBytes: 4 * 1024 * 1024, maxBytes: 100 * 1024 * 1024, maxLfsBytes: 5 * 1024 ** 3 },
      limits: { commandBytes: 8 * 1024 * 1024, uploadRequestBytes: 16 * 1024 * 1024, apiBodyBytes: 64 * 1024 },
      archive: { limitBytes: 5 * 1024 ** 3, highWatermark: 0.8, lowWatermark: 0.6, coldAfterMs: 30 * DAY },
      auth: { mode: "token", adminToken: null, failureLimit: 10, failureWindowMs: 300_000 },
      retentionMs: 7 * DAY,
      outbound: { allowPrivateUrls: false, retryBaseMs: 10_000 },
      logLevel: "info",
    });
  });

  it("allows private webhook addresses in open mode, or in token mode only with ALLOW_PRIVATE_URLS=true", () => {
    expect(parseSettings({ AUTH_MODE: "open" }).outbound.allowPrivateUrls).toBe(true);
    expect(parseSettings({ ALLOW_PRIVATE_URLS: "true" }).outbound.allowPrivateUrls).toBe(true);
    for (const value of ["1", "yes", "TRUE ", ""]) expect(parseSettings({ ALLOW_PRIVATE_URLS: value }).outbound.allowPrivateUrls, value).toBe(false);
    expect(parseSettings({ REPO_RETENTION_DAYS: "30", WEBHOOK_RETRY_SECONDS: "1" })).toMatchObject({ retentionMs: 30 * DAY, outbound: { retryBaseMs: 1000 } });
  });

  it("reads LOG_LEVEL in any case, and falls back to info for anything else", () => {
    expect(parseSettings({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(parseSettings({ LOG_LEVEL: " WARN " }).logLevel).toBe("warn");
    for (const level of ["verbose", "", "errors"]) expect(parseSettings({ LOG_LEVEL: level }).logLevel, level).toBe("info");
  });

  it("runs open only when AUTH_MODE says exactly open", () => {
    expect(parseSettings({ AUTH_MODE: "open" }).auth.mode).toBe("open");
    for (const mode of ["token", "Open", "opne", ""]) expect(parseSettings({ AUTH_MODE: mode }).auth.mode, mode).toBe("token");
    expect(parseSettings({ ADMIN_TOKEN: "s" }).auth.adminToken).toBe("s");
  });

  it("takes the values given", () => {
    const s = parseSettings({
      MAX_PUSH_BYTES: "1048576",
      STORAGE_LIMIT_BYTES: "100000",
      ARCHIVE_HIGH_WATERMARK: "0.9",
      ARCHIVE_LOW_WATERMARK: "0.5",
      ARCHIVE_COLD_AFTER_DAYS: "0.5",
    });
    expect(s.maxPushBytes).toBe(1048576);
    expect(s.archive).toEqual({ limitBytes: 100000, highWatermark: 0.9, lowWatermark: 0.5, coldAfterMs: DAY / 2 });
  });

  for (const bad of ["", "abc", "0", "-5", "Infinity", "NaN", "12kb"]) {
    it(`falls back to the default for ${JSON.stringify(bad)}`, () => {
      const s = parseSettings({ MAX_PUSH_BYTES: bad, STORAGE_LIMIT_BYTES: bad, ARCHIVE_HIGH_WATERMARK: bad, ARCHIVE_LOW_WATERMARK: bad, ARCHIVE_COLD_AFTER_DAYS: bad });
      expect(s).toEqual(parseSettings({}));
    });
  }

  it("splits DENY_NON_FAST_FORWARD at commas, trimming names and dropping empty ones", () => {
    expect(parseSettings({ DENY_NON_FAST_FORWARD: "refs/heads/main" }).denyNonFastForward).toEqual(["refs/heads/main"]);
    expect(parseSettings({ DENY_NON_FAST_FORWARD: " refs/heads/main , refs/tags/*,,refs/heads/release/* ," }).denyNonFastForward).toEqual([
      "refs/heads/main",
      "refs/tags/*",
      "refs/heads/release/*",
    ]);
    expect(parseSettings({ DENY_NON_FAST_FORWARD: " , " }).denyNonFastForward).toEqual([]);
  });
});

describe("settings", () => {
  it("parses an environment once and hands back the same settings after", () => {
    const vars = { MAX_PUSH_BYTES: "42" };
    const first = settings(vars);
    expect(first.maxPushBytes).toBe(42);
    expect(settings(vars)).toBe(first);
    expect(settings({ MAX_PUSH_BYTES: "42" })).not.toBe(first);
  });
});
