// POST housekeeping: brings the commit graph up to date (graph/build.ts) and repacks
// (housekeeping/repack.ts) now, as the scheduled run would, and says what it did.
import { buildCommitGraph } from "../graph/build";
import { repack } from "../housekeeping/repack";
import type { ApiContext } from "./context";

export async function postHousekeeping({ repo, op }: ApiContext): Promise<Response> {
  const added = await buildCommitGraph(repo);
  return Response.json({ ...(await repack(repo, op ?? undefined)), commitGraph: { added } });
}
