// Whether a repository exists, asked of the registry before a read is sent to the repository's
// Durable Object: reaching an object creates its database, so a read of an unknown name (a typo, a
// scan of names) must stop here. Each isolate remembers the names it has seen exist; an unknown name
// costs one registry read each time, a known one none after the first. A repository deleted since
// is still refused: its own object answers 404 while it is deleted.
import { registry } from "../durable/registry/registry-object";
import type { Env } from "./env";

const MAX_REMEMBERED = 10_000;
const known = new Set<string>();

export async function repoExists(env: Env, name: string): Promise<boolean> {
  if (known.has(name)) return true;
  if (!(await registry(env).exists(name))) return false;
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.add(name);
  return true;
}
