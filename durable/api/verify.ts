// GET ref-log/verify: recomputes the hash chain over the whole log, in batches.
import { verifyChain } from "../refs/audit-chain";
import type { ApiContext } from "./context";
import { readQuery } from "./params";

export async function getVerify({ repo, url }: ApiContext): Promise<Response> {
  readQuery(url, []);
  return Response.json(await verifyChain(repo.sql, repo.refs.lastSeq()));
}
