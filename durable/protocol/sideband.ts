// Multiplexing data, progress and errors over bands 1, 2 and 3
// (gitprotocol-capabilities.adoc, "side-band, side-band-64k"; gitprotocol-pack.adoc, "Packfile Data").
import { ProtocolError } from "./errors";
import { concatBytes, encodePkt, MAX_PKT_DATA, utf8, type Pkt } from "./pktline";

/** Encoded pkts each holding the band byte and at most `maxData` bytes of `data` (999 for plain side-band). */
export function sidebandPkts(band: 1 | 2 | 3, data: Uint8Array, maxData = MAX_PKT_DATA - 1): Uint8Array[] {
  if (!Number.isInteger(maxData) || maxData < 1 || maxData > MAX_PKT_DATA - 1) throw new ProtocolError(`invalid side-band packet size ${maxData}`);
  const pkts: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += maxData) {
    const chunk = data.subarray(at, at + maxData);
    const payload = new Uint8Array(chunk.length + 1);
    payload[0] = band;
    payload.set(chunk, 1);
    pkts.push(encodePkt(payload));
  }
  return pkts;
}

export function progressPkt(message: string): Uint8Array {
  return concatBytes(sidebandPkts(2, utf8(message)));
}

export function errorPkt(message: string): Uint8Array {
  return concatBytes(sidebandPkts(3, utf8(message)));
}

/** Joins the payloads of each band; flush and delim pkts are skipped. */
export function demuxSideband(pkts: Pkt[]): { 1: Uint8Array; 2: string; 3: string } {
  const bands: Record<1 | 2 | 3, Uint8Array[]> = { 1: [], 2: [], 3: [] };
  for (const pkt of pkts) {
    if (pkt.kind !== "data") continue;
    const band = pkt.data[0];
    if (band !== 1 && band !== 2 && band !== 3) throw new ProtocolError(`invalid side-band ${band ?? "(empty packet)"}`);
    bands[band].push(pkt.data.subarray(1));
  }
  const text = (parts: Uint8Array[]) => new TextDecoder().decode(concatBytes(parts));
  return { 1: concatBytes(bands[1]), 2: text(bands[2]), 3: text(bands[3]) };
}
