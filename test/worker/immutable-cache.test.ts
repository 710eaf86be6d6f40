// The Workers Cache API in front of browse answers named by object ids (worker/immutable-cache.ts),
// on the real local cache: a public repository's immutable answer is kept and a repeat is answered
// from the cache without reaching the repository; answers named by a ref, calls with credentials and
// private repositories' answers are never kept.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HEAD } from "../fixtures/packs";
import { receivePackRequest, ZERO } from "../support/workerd/push";

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;

function setVisibility(repo: string, visibility: "public" | "private"): Promise<Response> {
  return worker.fetch(new Request(`http://x/api/repos/${repo}`, { method: "PATCH", body: JSON.stringify({ visibility }), headers: { "Content-Type": "application/json" } }));
}

async function newPublicRepo(): Promise<string> {
  const repo = `cache/r${crypto.randomUUID().slice(0, 8)}`;
  const res = await worker.fetch(receivePackRequest(repo, [`${ZERO} ${HEAD} refs/heads/main`]));
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  expect((await setVisibility(repo, "public")).status).toBe(200);
  return repo;
}

/** Polls the cache for `url`: the worker keeps an answer after it has sent it. */
async function cached(url: string): Promise<Response | undefined> {
  for (let i = 0; i < 50; i++) {
    const hit = await caches.default.match(url);
    if (hit) return hit;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

describe("the immutable-answer cache", () => {
  it("keeps a public answer named by a commit id, and answers a repeat from it (304 too)", async () => {
    const repo = await newPublicRepo();
    const url = `http://x/api/repos/${repo}/commits/${HEAD}`;
    const first = await worker.fetch(new Request(url));
    expect(first.status).toBe(200);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const body = await first.text();
    expect(await (await cached(url))?.text()).toBe(body);
    // A repeat is the cache's: a marked copy put there is what comes back.
    await caches.default.put(url, new Response('{"from":"cache"}', { headers: { "Cache-Control": "public, max-age=60", ETag: `"${HEAD}"` } }));
    expect(await (await worker.fetch(new Request(url))).json()).toEqual({ from: "cache" });
    const again = await worker.fetch(new Request(url, { headers: { "If-None-Match": `"${HEAD}"` } }));
    expect(again.status).toBe(304);
  });

  it("keeps nothing named by a ref, asked with credentials, or of a private repository", async () => {
    const repo = await newPublicRepo();
    const byRef = `http://x/api/repos/${repo}/tree/main/`;
    expect((await worker.fetch(new Request(byRef))).status).toBe(200);
    const withToken = `http://x/api/repos/${repo}/tree/${HEAD}/`;
    expect((await worker.fetch(new Request(withToken, { headers: { Authorization: "Bearer x" } }))).status).toBe(200);
    expect((await setVisibility(repo, "private")).status).toBe(200);
    const priv = `http://x/api/repos/${repo}/commits/${HEAD}`;
    const res = await worker.fetch(new Request(priv));
    expect(res.headers.get("Cache-Control")).toMatch(/^private/);
    await res.arrayBuffer();
    expect(await cached(byRef)).toBeUndefined();
    expect(await cached(withToken)).toBeUndefined();
    expect(await cached(priv)).toBeUndefined();
  });
});
