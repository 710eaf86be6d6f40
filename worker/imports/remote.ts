// The git client of imports, over smart HTTP: asks the remote's upload-pack for its branches and tags
// (protocol v2's ls-refs, or the v0 advertisement when the remote does not speak v2), then for one
// pack of the new ones, less what the repository's tips reach, and gives the pack's bytes as a
// stream taken off side band 1 as they arrive: the pack is never held whole. Every request checks the address first and follows no redirect.
import { RemoteError } from "../../durable/errors";
import { outboundUrlProblem } from "../../durable/hooks/public-url";
import { PktStreamReader } from "../../durable/protocol/pkt-stream";
import { pktText } from "../../durable/protocol/pktline";
import { fetchRequestV2, lsRefsRequest, parseInfoRefs, parseLsRefs, uploadRequestV0, type RemoteRefs } from "../../durable/protocol/remote";

export interface Remote {
  url: string;
  token?: string;
  allowPrivate: boolean;
}

const TIMEOUT_MS = 60_000;

async function request(remote: Remote, path: string, init: { body?: Uint8Array; v2: boolean }): Promise<Response> {
  const url = `${remote.url.replace(/\/+$/, "")}${path}`;
  const problem = outboundUrlProblem(url, remote.allowPrivate);
  if (problem) throw new RemoteError(problem);
  const headers: Record<string, string> = { "User-Agent": "git/2.45.0 (git-on-workers import)" };
  if (init.v2) headers["Git-Protocol"] = "version=2";
  if (init.body) headers["Content-Type"] = "application/x-git-upload-pack-request";
  if (remote.token) headers.Authorization = `Basic ${btoa(`x-access-token:${remote.token}`)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: init.body ? "POST" : "GET", headers, body: init.body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new RemoteError(`the remote could not be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (response.status >= 300 && response.status < 400) throw new RemoteError(`the remote redirected to ${response.headers.get("Location") ?? "elsewhere"}; import from that URL`);
  if (response.status === 401 || response.status === 403) throw new RemoteError(`the remote refused access (HTTP ${response.status}); give a token that may read it`);
  if (!response.ok) throw new RemoteError(`the remote answered HTTP ${response.status} to ${path.split("?")[0]}`);
  return response;
}

/** The remote's branches and tags, and the protocol it speaks. */
export async function remoteRefs(remote: Remote): Promise<RemoteRefs> {
  const advertised = parseInfoRefs(new Uint8Array(await (await request(remote, "/info/refs?service=git-upload-pack", { v2: true })).arrayBuffer()));
  if (advertised.version === 0) return advertised;
  const listed = parseLsRefs(new Uint8Array(await (await request(remote, "/git-upload-pack", { body: lsRefsRequest(), v2: true })).arrayBuffer()));
  return { ...advertised, ...listed };
}

/** One pack of everything `wants` reach and `haves` do not, as a stream of its bytes. */
export async function fetchPack(remote: Remote, version: 0 | 2, wants: string[], haves: string[]): Promise<ReadableStream<Uint8Array>> {
  const body = version === 2 ? fetchRequestV2(wants, haves) : uploadRequestV0(wants, haves);
  const response = await request(remote, "/git-upload-pack", { body, v2: version === 2 });
  const reader = new PktStreamReader(response.body!);
  // Up to the pack: v2's "packfile" section header, v0's NAK or its one ACK of a have.
  for (;;) {
    const pkt = await reader.read();
    if (!pkt) throw new RemoteError("the remote's answer ended before its pack");
    if (pkt.kind !== "data") continue;
    const line = pktText(pkt.data);
    if (line === "packfile" || line === "NAK" || line.startsWith("ACK ")) break;
    if (line.startsWith("ERR ")) throw new RemoteError(`the remote says: ${line.slice(4)}`);
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const pkt = await reader.read();
        if (!pkt || pkt.kind !== "data") {
          controller.close();
          return;
        }
        const band = pkt.data[0];
        if (band === 1) {
          controller.enqueue(pkt.data.slice(1));
          return;
        }
        if (band === 3) throw new RemoteError(`the remote says: ${new TextDecoder().decode(pkt.data.subarray(1)).trim()}`);
      }
    },
    cancel: () => reader.discardRest(),
  });
}
