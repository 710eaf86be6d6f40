// The LFS bench's baseline: a Worker that only moves bytes between HTTP and R2, PUT /{key} into the
// bucket and GET /{key} out of it, with no access check, no hashing and no catalogue, so that the
// ratio of an LFS transfer to it is what the LFS layer costs.
interface PlainEnv {
  LFS: R2Bucket;
}

export default {
  async fetch(request: Request, env: PlainEnv): Promise<Response> {
    const key = new URL(request.url).pathname.slice(1);
    if (request.method === "PUT") {
      await env.LFS.put(key, request.body);
      return new Response(null, { status: 200 });
    }
    const object = key ? await env.LFS.get(key) : null;
    if (!object) return new Response(key ? "no such key\n" : "plain R2 worker\n", { status: key ? 404 : 200 });
    return new Response(object.body, { headers: { "Content-Length": String(object.size) } });
  },
};
