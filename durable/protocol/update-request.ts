// The receive-pack request: shallow lines, then ref update commands with capabilities on the first,
// then push options (gitprotocol-pack.adoc, "Reference Update Request and Packfile Transfer").
import { parseCapabilities } from "./capabilities";
import { ProtocolError } from "../errors";
import { quote } from "./quote";
import { isOid, ZERO_OID } from "./oid";
import { pktText } from "./pktline";

export interface RefCommand {
  oldOid: string;
  newOid: string;
  ref: string;
}

export interface UpdateRequest {
  commands: RefCommand[];
  capabilities: Map<string, string | true>;
  shallow: string[];
  /** The first ref name that is not valid UTF-8 (as decoded, with U+FFFD), or null. */
  notUtf8: string | null;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isUtf8(data: Uint8Array): boolean {
  try {
    strict.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Parses the data payloads of the pkts before the first flush. Ref names are not checked here. */
export function parseUpdateRequest(lines: Uint8Array[]): UpdateRequest {
  const request: UpdateRequest = { commands: [], capabilities: new Map(), shallow: [], notUtf8: null };
  const seen = new Set<string>();
  for (const data of lines) {
    let line = pktText(data);
    if (line.startsWith("shallow ") && request.commands.length === 0) {
      const oid = line.slice("shallow ".length);
      if (!isOid(oid)) throw new ProtocolError(`malformed shallow line ${quote(line)}`);
      request.shallow.push(oid);
      continue;
    }
    const nul = line.indexOf("\0");
    if (request.commands.length === 0) {
      if (nul < 0) throw new ProtocolError(`first command has no capability list after NUL: ${quote(line)}`);
      request.capabilities = parseCapabilities(line.slice(nul + 1));
      line = line.slice(0, nul);
    } else if (nul >= 0) {
      throw new ProtocolError(`unexpected NUL in command ${quote(line)}`);
    }
    const command = parseCommand(line);
    if (request.notUtf8 === null && !isUtf8(data.subarray(0, data.indexOf(0) < 0 ? data.length : data.indexOf(0)))) request.notUtf8 = command.ref;
    if (seen.has(command.ref)) throw new ProtocolError(`duplicate ref update for ${command.ref}`);
    seen.add(command.ref);
    request.commands.push(command);
  }
  if (lines.length > 0 && request.commands.length === 0) throw new ProtocolError("update request has shallow lines but no commands");
  return request;
}

/** The push options, one per pkt, sent after the command list when push-options is in effect. */
export function parsePushOptions(lines: Uint8Array[]): string[] {
  return lines.map(pktText);
}

/** "<old-id> SP <new-id> SP <name>". */
function parseCommand(line: string): RefCommand {
  const oldOid = line.slice(0, 40);
  const newOid = line.slice(41, 81);
  const ref = line.slice(82);
  if (line[40] !== " " || line[81] !== " " || !isOid(oldOid) || !isOid(newOid) || ref === "") {
    throw new ProtocolError(`malformed ref update command ${quote(line)}`);
  }
  if (oldOid === ZERO_OID && newOid === ZERO_OID) throw new ProtocolError(`both old and new ids are zero for ${ref}`);
  return { oldOid, newOid, ref };
}
