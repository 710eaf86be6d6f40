// Negotiation replies: ACK/NAK lines for v0 multi_ack_detailed and the v2 acknowledgments section
// (gitprotocol-pack.adoc, "Packfile Negotiation"; gitprotocol-v2.adoc, "fetch", acknowledgments section).
import { concatBytes, DELIM, encodePkt, FLUSH } from "./pktline";

export const NAK: Uint8Array = encodePkt("NAK\n");

/** "ACK <oid>[ <status>]". */
export function ackLine(oid: string, status?: "common" | "ready" | "continue"): Uint8Array {
  return encodePkt(status ? `ACK ${oid} ${status}\n` : `ACK ${oid}\n`);
}

/** The acknowledgments section; when ready it ends with a delim because the packfile section follows. */
export function encodeAcknowledgmentsV2(commonOids: string[], ready: boolean): Uint8Array {
  const parts = [encodePkt("acknowledgments\n")];
  if (commonOids.length === 0) parts.push(NAK);
  else for (const oid of commonOids) parts.push(ackLine(oid));
  if (ready) parts.push(encodePkt("ready\n"));
  parts.push(ready ? DELIM : FLUSH);
  return concatBytes(parts);
}
