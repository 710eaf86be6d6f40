// The Worker's entry point: HTTP routes, and the Durable Object classes wrangler binds.
import type { Env } from "./env";
import { router } from "./router";

export { RepoObject } from "../durable/repo";
export { RegistryObject } from "../durable/registry";

export default {
  fetch: (request, env, ctx) => router.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
