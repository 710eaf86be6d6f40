// GET info/refs (gitprotocol-http.adoc, "Smart Clients"): the v0 ref advertisement for either service,
// or, for upload-pack asked with Git-Protocol: version=2, the v2 capability advertisement.
import { encodeRefAdvertisement, encodeV2Capabilities, serviceHeader, type AdvertisedRef } from "../protocol/advertisement";
import { concatBytes } from "../protocol/pktline";
import type { Repository } from "../repository";
import { receivePackCapabilities, uploadPackCapabilities, v2Capabilities } from "./capabilities";

export type Service = "git-upload-pack" | "git-receive-pack";

export async function advertise(repo: Repository, service: Service, version: number): Promise<Response> {
  const headers = { "Content-Type": `application/x-${service}-advertisement`, "Cache-Control": "no-cache" };
  if (service === "git-upload-pack" && version === 2) return new Response(encodeV2Capabilities(v2Capabilities()), { headers });
  const refs = await advertisedRefs(repo);
  const head = repo.refs.head();
  const headOid = repo.refs.get(head) ?? undefined;
  const caps = service === "git-upload-pack" ? uploadPackCapabilities(headOid ? head : null) : receivePackCapabilities();
  const body = concatBytes([serviceHeader(service), encodeRefAdvertisement(refs, caps, headOid)]);
  return new Response(body, { headers });
}

/** Every ref, sorted by name, with annotated tags peeled. */
export async function advertisedRefs(repo: Repository): Promise<AdvertisedRef[]> {
  const out: AdvertisedRef[] = [];
  for (const [name, oid] of repo.refs.all()) out.push({ name, oid, peeled: await repo.peel(oid) });
  return out;
}
