// The server's one family of errors. Every condition the code knows is a ServerError subclass with
// the HTTP status it answers with; describe() is the one place that turns any thrown value into what
// the client sees (a JSON body, a `remote:` line, an `unpack` or `ng` reason). Anything that is not
// a ServerError is a bug: the client sees "internal error", and the logs the rest.

export class ServerError extends Error {
  constructor(
    message: string,
    /** The HTTP status this error answers with. */
    readonly status = 500,
    /** Extra JSON for the client (a parameter name, the values that conflicted, ...). */
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request that does not follow git's protocol (pkt-lines, command lists, upload requests). */
export class ProtocolError extends ServerError {
  constructor(message: string) {
    super(message, 400);
  }
}

/** A pack, or an object in one, that is corrupt: refused as an `unpack` error. */
export class PackError extends ServerError {
  constructor(message: string) {
    super(message, 400);
  }
}

/** A zlib stream that does not inflate as its entry says; `truncated` when more input may complete it. */
export class InflateError extends PackError {
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
  }
}

/** 1000 bytes, 64 KiB, 1.5 MiB, 100 MiB: sizes as a person reads them, for limits in messages. */
export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [n, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KiB"] : [bytes / 1024 / 1024, "MiB"];
  return `${n >= 10 ? Math.round(n) : Math.round(n * 10) / 10} ${unit}`;
}

/** A request body, or a part of one, over the limit the settings allow. */
export class LimitError extends ServerError {
  constructor(message: string) {
    super(message, 413);
  }
}

/** 401: the request needs credentials (answered with WWW-Authenticate, so that git asks for them). */
export class AuthRequired extends ServerError {
  constructor(message: string) {
    super(message, 401);
  }
}

/** 429: too many failed authentications from one address (answered with Retry-After). */
export class RateLimited extends ServerError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429, { retryAfterSeconds });
  }
}

/** A refusal of the JSON API, with its status (400, 404, 409, ...) and detail. */
export class ApiError extends ServerError {
  constructor(status: number, message: string, detail?: unknown) {
    super(message, status, detail);
  }
}

/** Stored data that is not as the code wrote it (a missing chunk, pack or object): always a 500. */
export class StorageError extends ServerError {}

/** A remote that an import fetches from refused, failed or answered what git does not (502). */
export class RemoteError extends ServerError {
  constructor(message: string) {
    super(message, 502);
  }
}

export interface ClientError {
  status: number;
  error: string;
  detail?: unknown;
}

/** What the client is told about `e`. Conditions the code knows keep their message, even a 500. */
export function describe(e: unknown): ClientError {
  if (e instanceof ServerError) return e.detail === undefined ? { status: e.status, error: e.message } : { status: e.status, error: e.message, detail: e.detail };
  return { status: 500, error: "internal error" };
}

/** `e`'s message with its detail when that is a sentence: what text answers show (git's, LFS's, the UI's). */
export function describeLine(e: unknown): { status: number; line: string } {
  const { status, error, detail } = describe(e);
  return { status, line: typeof detail === "string" ? `${error}: ${detail}` : error };
}

/** The plain-text response for `e` on git's routes: git shows such a body to the user as `remote:` lines. */
export function textErrorResponse(e: unknown): Response {
  const { status, line } = describeLine(e);
  return new Response(`${line}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The JSON response for `e`. */
export function errorResponse(e: unknown, headers?: HeadersInit): Response {
  const { status, ...body } = describe(e);
  return Response.json(body, { status, headers });
}

export const LFS_MEDIA_TYPE = "application/vnd.git-lfs+json";

/** The Git LFS API's JSON error for `e` ({message}, git-lfs docs/api/batch.md "Response Errors"), which git-lfs shows as it is. */
export function lfsErrorResponse(e: unknown): Response {
  const { status, line } = describeLine(e);
  return new Response(JSON.stringify({ message: line }), { status, headers: { "Content-Type": LFS_MEDIA_TYPE } });
}
