// Arguments of the v2 object-info command (gitprotocol-v2.adoc, "object-info"): the attributes asked
// for ("size", the only one) and the object ids, each a full id.
import { ProtocolError } from "../errors";
import { isOid } from "./oid";
import { quote } from "./quote";

export interface ObjectInfoRequest {
  size: boolean;
  oids: string[];
}

export function parseObjectInfoArgs(args: string[]): ObjectInfoRequest {
  const req: ObjectInfoRequest = { size: false, oids: [] };
  for (const arg of args) {
    if (arg === "size") req.size = true;
    else if (arg.startsWith("oid ") && isOid(arg.slice(4))) req.oids.push(arg.slice(4));
    else throw new ProtocolError(`unknown object-info argument ${quote(arg)}`);
  }
  return req;
}
