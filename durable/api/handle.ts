// Entry point of the repository's JSON API: finds the route, answers 404 (unknown route or
// repository) and 405 (method), runs the handler and turns an ApiError into its JSON response.
import type { Repository } from "../repository";
import { ApiError, errorResponse } from "./errors";
import { matchRoute } from "./routes";

export async function handleApi(repo: Repository, request: Request, actor: string): Promise<Response> {
  const url = new URL(request.url);
  const match = matchRoute(url.pathname);
  if (!match) return errorResponse(404, "not found", `no API route ${url.pathname}`);
  const handler = match.route.methods[request.method];
  if (!handler) {
    const allow = Object.keys(match.route.methods).join(", ");
    return errorResponse(405, "method not allowed", `${request.method} is not allowed here; use ${allow}`, { Allow: allow });
  }
  if (!repo.exists()) return errorResponse(404, "repository not found");
  try {
    return await handler({ repo, request, url, actor, params: match.params });
  } catch (e) {
    if (e instanceof ApiError) return errorResponse(e.status, e.message, e.detail);
    console.error("API request failed", request.method, url.pathname, e);
    return errorResponse(500, "internal error", String(e));
  }
}
