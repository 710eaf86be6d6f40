// The error family (durable/errors.ts): describe() keeps what a ServerError says, status, message and
// detail; anything else is a bug and becomes a 500 "internal error". errorResponse() sends that as JSON.
import { describe as suite, expect, it } from "vitest";
import { ApiError, describe, errorResponse, InflateError, LimitError, PackError, ProtocolError, ServerError, StorageError } from "../../durable/errors";

suite("describe", () => {
  const known: [ServerError, number][] = [
    [new ProtocolError("bad pkt-line"), 400],
    [new PackError("bad pack"), 400],
    [new InflateError("bad zlib", true), 400],
    [new LimitError("too big"), 413],
    [new ApiError(409, "ref moved"), 409],
    [new StorageError("chunk missing"), 500],
    [new ServerError("plain"), 500],
  ];
  for (const [error, status] of known) {
    it(`keeps the status and message of a ${error.name}`, () => {
      expect(error).toBeInstanceOf(ServerError);
      expect(describe(error)).toEqual({ status, error: error.message });
    });
  }

  it("keeps the detail of an error that has one, even a falsy one", () => {
    expect(describe(new ApiError(400, "invalid parameter 'seq'", { param: "seq" }))).toEqual({ status: 400, error: "invalid parameter 'seq'", detail: { param: "seq" } });
    expect(describe(new ServerError("odd", 502, 0))).toEqual({ status: 502, error: "odd", detail: 0 });
  });

  it("names each error after its class, and an InflateError says whether it was truncated", () => {
    const e = new InflateError("ends early", true);
    expect([e.name, e.truncated, e instanceof PackError]).toEqual(["InflateError", true, true]);
    expect(new StorageError("x").name).toBe("StorageError");
  });

  it("turns anything that is not a ServerError into a 500 'internal error'", () => {
    for (const thrown of [new TypeError("x is undefined"), "a string", undefined, { status: 400, message: "looks known" }]) {
      const described = describe(thrown);
      expect(described.status).toBe(500);
      expect(described.error).toBe("internal error");
    }
  });
});

suite("errorResponse", () => {
  it("answers with the error's status and its description as JSON, without the status", async () => {
    const res = errorResponse(new ApiError(404, "push not found", { id: "p" }), { "X-Test": "1" });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("X-Test")).toBe("1");
    expect(await res.json()).toEqual({ error: "push not found", detail: { id: "p" } });
  });

  it("answers 500 to an unknown error", async () => {
    const res = errorResponse(new Error("boom"));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: "internal error" });
  });
});
