// The capabilities this server advertises (gitprotocol-capabilities.adoc, gitprotocol-v2.adoc).
import { AGENT } from "../protocol/capabilities";

export function uploadPackCapabilities(head: string | null): string[] {
  return [
    "multi_ack_detailed",
    "no-done",
    "side-band-64k",
    "side-band",
    "ofs-delta",
    "thin-pack",
    "no-progress",
    "include-tag",
    "allow-tip-sha1-in-want",
    "allow-reachable-sha1-in-want",
    "shallow",
    "deepen-since",
    "deepen-not",
    "deepen-relative",
    "filter",
    ...(head ? [`symref=HEAD:${head}`] : []),
    "object-format=sha1",
    `agent=${AGENT}`,
  ];
}

export function receivePackCapabilities(): string[] {
  return ["report-status", "report-status-v2", "delete-refs", "side-band-64k", "quiet", "atomic", "ofs-delta", "push-options", "object-format=sha1", `agent=${AGENT}`];
}

export function v2Capabilities(): string[] {
  return [`agent=${AGENT}`, "ls-refs=unborn", "fetch=shallow wait-for-done filter", "server-option", "object-info", "object-format=sha1"];
}
