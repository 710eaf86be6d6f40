// Entry point of the repository's JSON API: finds the route, answers 404 (unknown route or
// repository) and 405 (method), runs the handler and turns what it throws into a JSON response,
// telling the request's record (an API write's) how it ended.
import { ApiError, errorResponse } from "../errors";
import type { Operation } from "../observe/operation";
import type { Principal } from "../access/principal";
import type { Repository } from "../repository";
import type { HookSender } from "./context";
import { matchRoute } from "./routes";

/** For callers without a hooks queue (tests and benchmarks that call the API directly): nothing is sent. */
const NO_HOOKS: HookSender = { redeliver: async () => {} };

export async function handleApi(repo: Repository, request: Request, principal: Principal, op: Operation | null = null, hooks = NO_HOOKS): Promise<Response> {
  const url = new URL(request.url);
  const match = matchRoute(url.pathname);
  if (!match) return errorResponse(new ApiError(404, "not found", `no API route ${url.pathname}`));
  const handler = match.route.methods[request.method];
  if (!handler) {
    const allow = Object.keys(match.route.methods).join(", ");
    return errorResponse(new ApiError(405, "method not allowed", `${request.method} is not allowed here; use ${allow}`), { Allow: allow });
  }
  if (!repo.exists()) return errorResponse(new ApiError(404, "repository not found"));
  try {
    return await handler({ repo, request, url, principal, params: match.params, op, hooks });
  } catch (e) {
    op?.thrown(e);
    return errorResponse(e);
  }
}
