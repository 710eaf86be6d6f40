// API bodies (durable/api/body.ts): one JSON object, within a size limit, with no key given twice.
import { describe, expect, it } from "vitest";
import { readJsonObject, repeatedKey } from "../../../durable/api/body";

const request = (body: string) => new Request("http://x/", { method: "POST", body });

describe("readJsonObject", () => {
  it("reads an object", async () => {
    expect(await readJsonObject(request('{"a": 1, "b": {"a": 2}}'), 100)).toEqual({ a: 1, b: { a: 2 } });
  });

  it("refuses a key given twice at any depth, which JSON.parse would silently resolve", async () => {
    await expect(readJsonObject(request('{"visibility": "private", "visibility": "public"}'), 100)).rejects.toMatchObject({ status: 400, detail: 'the key "visibility" is given more than once' });
    expect(repeatedKey('{"p": [{"x": 1, "x": 2}]}')).toBe("x");
    expect(repeatedKey('{"a": "\\"a\\"", "b": ["a", "a"], "c": {"a": 1}, "a\\u0062": 1}')).toBeNull();
    expect(repeatedKey('{"ab": 1, "a\\u0062": 2}')).toBe("ab");
  });

  it("refuses a body over the limit with 413, and what is not an object with 400", async () => {
    await expect(readJsonObject(request(`{"a": "${"x".repeat(200)}"}`), 100)).rejects.toMatchObject({ status: 413 });
    for (const body of ["[1]", "1", "{", ""]) await expect(readJsonObject(request(body), 100), body).rejects.toMatchObject({ status: 400, message: "malformed JSON body" });
  });
});
