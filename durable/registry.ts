// The registry Durable Object: one instance that knows every repository's storage figures,
// so the scheduled job can find the ones that need archiving.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../worker/env";

export class RegistryObject extends DurableObject<Env> {}
