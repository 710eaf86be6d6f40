// POST housekeeping: repacks now (housekeeping/repack.ts), as the scheduled run would, and says what it did.
import { repack } from "../housekeeping/repack";
import type { ApiContext } from "./context";

export async function postHousekeeping({ repo, op }: ApiContext): Promise<Response> {
  return Response.json(await repack(repo, op ?? undefined));
}
