// API errors: thrown anywhere while serving a request and turned into a JSON response
// `{"error": "...", "detail": ...}` with the right status by handleApi.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export function errorResponse(status: number, error: string, detail?: unknown, headers?: HeadersInit): Response {
  return Response.json(detail === undefined ? { error } : { error, detail }, { status, headers });
}

/** 400 for one request parameter (or body field) that is missing or wrong. */
export function badParameter(name: string, detail: string): ApiError {
  return new ApiError(400, `invalid parameter '${name}'`, detail);
}
