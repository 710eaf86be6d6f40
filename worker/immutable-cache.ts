// The Workers Cache API in front of the repositories for answers that never change: a browse answer
// named by object ids (commits/{id}, tree/{id}/..., compare/{id}...{id}) of a public repository,
// which the repository marks `public, immutable`. A repeat is then answered here, from the data
// centre's cache, and costs the Durable Object nothing.
// Only calls without credentials use it: they see what everyone sees. A repository made private
// afterwards can still be answered from the cache for what was cached, as from any shared cache that
// honoured the same header; such an answer is reached only by ids taken from what was public then.
const cacheable = (req: Request) => req.method === "GET" && !req.headers.has("Authorization") && !req.headers.has("Range");
/**
 * Only an answer whose path names a full object id can be immutable: the rest (named by refs, or
 * not browse answers at all) skip the lookup, which cost a warm request 8 ms on a dev server.
 */
const FULL_ID = /(^|[/.])[0-9a-f]{40}([/.]|$)/;

/** The cached answer to `req`, 304 when its If-None-Match names it; undefined when there is none. */
export async function fromCache(req: Request): Promise<Response | undefined> {
  if (!cacheable(req) || !FULL_ID.test(new URL(req.url).pathname)) return undefined;
  const hit = await caches.default.match(req.url);
  if (!hit) return undefined;
  const etag = hit.headers.get("ETag");
  const tags = req.headers.get("If-None-Match");
  if (etag && tags?.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
    await hit.body?.cancel();
    return new Response(null, { status: 304, headers: hit.headers });
  }
  return hit;
}

/** `response`, kept in the cache meanwhile when it is a public immutable answer to a request without credentials. */
export function toCache(req: Request, response: Response, ctx: ExecutionContext): Response {
  const control = response.headers.get("Cache-Control") ?? "";
  if (!cacheable(req) || response.status !== 200 || !/\bpublic\b/.test(control) || !/\bimmutable\b/.test(control)) return response;
  // A cache that refuses (too large, unavailable) only costs the next request a trip to the repository.
  ctx.waitUntil(caches.default.put(req.url, response.clone()).catch(() => undefined));
  return response;
}
