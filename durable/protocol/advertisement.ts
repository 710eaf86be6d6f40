// Ref advertisement for v0/v1 and the v2 capability advertisement (gitprotocol-http.adoc, "Smart Clients";
// gitprotocol-pack.adoc, "Reference Discovery"; gitprotocol-v2.adoc, "Capability Advertisement").
import { formatCapabilities } from "./capabilities";
import { concatBytes, encodePkt, encodePkts, FLUSH } from "./pktline";
import { ZERO_OID } from "./oid";

export interface AdvertisedRef {
  name: string;
  oid: string;
  /** What an annotated tag peels to; advertised as "<peeled> <name>^{}". */
  peeled?: string;
}

/** "# service=<service>" then flush, which starts a smart info/refs response. */
export function serviceHeader(service: string): Uint8Array {
  return concatBytes([encodePkt(`# service=${service}\n`), FLUSH]);
}

/** HEAD first when given, then `refs` in the order given (the caller sorts), capabilities on the first line only. */
export function encodeRefAdvertisement(refs: AdvertisedRef[], capabilities: string[], headOid?: string): Uint8Array {
  const lines: string[] = [];
  if (headOid) lines.push(`${headOid} HEAD`);
  for (const ref of refs) {
    lines.push(`${ref.oid} ${ref.name}`);
    if (ref.peeled) lines.push(`${ref.peeled} ${ref.name}^{}`);
  }
  if (lines.length === 0) lines.push(`${ZERO_OID} capabilities^{}`);
  lines[0] += `\0${formatCapabilities(capabilities)}`;
  return encodePkts([...lines.map((line) => `${line}\n`), { kind: "flush" }]);
}

/** "version 2", one capability per line, flush. */
export function encodeV2Capabilities(caps: string[]): Uint8Array {
  return encodePkts(["version 2\n", ...caps.map((cap) => `${cap}\n`), { kind: "flush" }]);
}
