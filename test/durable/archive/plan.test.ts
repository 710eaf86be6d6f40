// Which packs an archive job moves to R2 (durable/archive/plan.ts): over the high watermark, the least
// recently read first until hot bytes are at the low watermark; packs gone cold always; below the
// high watermark nothing else.
import { describe, expect, it } from "vitest";
import { choosePacks, type PlanCandidate } from "../../../durable/archive/plan";
import type { ArchiveSettings } from "../../../worker/settings";

const DAY = 86_400_000;
const NOW = 100 * DAY;
/** Limit 1000 bytes: over the high watermark above 800, the low watermark at 600. */
const SETTINGS: ArchiveSettings = { limitBytes: 1000, highWatermark: 0.8, lowWatermark: 0.6, coldAfterMs: 30 * DAY };

/** A pack of `bytes` last read `daysAgo` days before NOW. */
const pack = (id: number, bytes: number, daysAgo: number): PlanCandidate => ({ id, bytes, lastAccessAt: NOW - daysAgo * DAY });

describe("choosePacks", () => {
  it("over the high watermark, takes the least recently read first until hot bytes are at the low watermark", () => {
    const candidates = [pack(1, 200, 1), pack(2, 200, 5), pack(3, 150, 3), pack(4, 100, 2)];
    // 950 hot: pack 2 (read 5 days ago) leaves 750, pack 3 leaves 600, and 600 is not over the low watermark.
    expect(choosePacks(candidates, 950, SETTINGS, NOW)).toEqual([2, 3]);
    expect(candidates.map((c) => c.id)).toEqual([1, 2, 3, 4]);
  });

  it("takes every candidate when even all of them leave hot bytes over the low watermark", () => {
    expect(choosePacks([pack(1, 50, 1), pack(2, 50, 2)], 1000, SETTINGS, NOW)).toEqual([2, 1]);
  });

  it("orders packs read at the same time by id", () => {
    expect(choosePacks([pack(9, 300, 4), pack(7, 300, 4)], 1000, SETTINGS, NOW)).toEqual([7, 9]);
  });

  it("takes nothing at or below the high watermark while no pack is cold", () => {
    const candidates = [pack(1, 400, 29), pack(2, 400, 1)];
    expect(choosePacks(candidates, 800, SETTINGS, NOW)).toEqual([]);
    expect(choosePacks(candidates, 100, SETTINGS, NOW)).toEqual([]);
    expect(choosePacks([], 5000, SETTINGS, NOW)).toEqual([]);
  });

  it("always takes packs not read for the cold threshold, and only those below the high watermark", () => {
    const candidates = [pack(1, 10, 30), pack(2, 10, 30 - 1 / DAY), pack(3, 10, 400)];
    expect(choosePacks(candidates, 100, SETTINGS, NOW)).toEqual([3, 1]);
  });

  it("counts cold packs towards the low watermark, and still takes every cold one", () => {
    // 900 hot: cold pack 1 leaves 600, so warm pack 2 stays; cold pack 3 goes anyway.
    const candidates = [pack(1, 300, 60), pack(2, 100, 10), pack(3, 10, 31)];
    expect(choosePacks(candidates, 900, SETTINGS, NOW)).toEqual([1, 3]);
  });
});
