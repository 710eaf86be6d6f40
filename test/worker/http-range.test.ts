// The Range header (worker/http-range.ts, RFC 9110 §14): one range served, the rest ignored or 416.
import { describe, expect, it } from "vitest";
import { contentRange, parseRange } from "../../worker/http-range";

describe("parseRange", () => {
  const cases: [string | null, number, ReturnType<typeof parseRange>][] = [
    [null, 100, "whole"],
    ["bytes=0-9", 100, { offset: 0, length: 10 }],
    ["bytes=90-", 100, { offset: 90, length: 10 }],
    ["bytes=90-500", 100, { offset: 90, length: 10 }],
    ["bytes=-10", 100, { offset: 90, length: 10 }],
    ["bytes=-500", 100, { offset: 0, length: 100 }],
    ["bytes=100-", 100, "unsatisfiable"],
    ["bytes=-0", 100, "unsatisfiable"],
    ["bytes=0-", 0, "unsatisfiable"],
    ["bytes=5-1", 100, "whole"],
    ["bytes=0-1,5-6", 100, "whole"],
    ["items=0-1", 100, "whole"],
    ["bytes=-", 100, "whole"],
    ["bytes=x-1", 100, "whole"],
  ];
  for (const [header, size, expected] of cases) {
    it(`${JSON.stringify(header)} of ${size} bytes`, () => expect(parseRange(header, size)).toEqual(expected));
  }

  it("writes Content-Range", () => expect(contentRange({ offset: 90, length: 10 }, 100)).toBe("bytes 90-99/100"));
});
