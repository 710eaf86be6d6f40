// Multiplexing data, progress and errors over bands 1, 2 and 3
// (gitprotocol-capabilities.adoc, "side-band, side-band-64k"; gitprotocol-pack.adoc, "Packfile Data").
import { ProtocolError } from "../errors";
import { concatBytes, MAX_PKT_DATA, utf8, type Pkt } from "./pktline";

/**
 * `data` as consecutive pkts, each holding the band byte and at most `maxData` bytes (999 for plain
 * side-band), written into one buffer: a pack streams through here, and one buffer per piece saves
 * two copies and a stream write per packet.
 */
export function sidebandFrame(band: 1 | 2 | 3, data: Uint8Array, maxData = MAX_PKT_DATA - 1): Uint8Array {
  if (!Number.isInteger(maxData) || maxData < 1 || maxData > MAX_PKT_DATA - 1) throw new ProtocolError(`invalid side-band packet size ${maxData}`);
  const packets = Math.ceil(data.length / maxData);
  const out = new Uint8Array(data.length + packets * 5);
  for (let at = 0, pos = 0; at < data.length; at += maxData) {
    const chunk = data.subarray(at, at + maxData);
    const length = (chunk.length + 5).toString(16).padStart(4, "0");
    for (let k = 0; k < 4; k++) out[pos + k] = length.charCodeAt(k);
    out[pos + 4] = band;
    out.set(chunk, pos + 5);
    pos += chunk.length + 5;
  }
  return out;
}

export function progressPkt(message: string): Uint8Array {
  return sidebandFrame(2, utf8(message));
}

export function errorPkt(message: string): Uint8Array {
  return sidebandFrame(3, utf8(message));
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
