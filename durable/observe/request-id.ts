// The request id: one per request to the Worker, taken from the platform's cf-ray when there is one. It
// travels to the Durable Object in a header, comes back to the client in the same header, is in every
// log line of the request, and ends every refusal git shows, so a user's error matches its log line.

export const REQUEST_ID_HEADER = "X-Request-Id";

/** The id of a request arriving at the Worker. */
export function newRequestId(request: Request): string {
  return request.headers.get("cf-ray") ?? crypto.randomUUID();
}

/** The line that ends a refusal git shows as `remote: ...`. */
export function requestIdLine(requestId: string | undefined): string {
  return requestId ? `request id: ${requestId}` : "";
}
