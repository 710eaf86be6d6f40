// What every API handler receives: the repository, the request with its parsed URL, the caller and
// the path parameters of its route.
import type { Principal } from "../access/principal";
import type { Repository } from "../repository";
import type { Operation } from "../observe/operation";

export interface ApiContext {
  repo: Repository;
  request: Request;
  url: URL;
  /** Who is calling, as the Worker resolved it; access is already checked. */
  principal: Principal;
  /** Path parameters, e.g. { pushId } for pushes/:pushId. */
  params: Record<string, string>;
  /** The record of an API write (null for reads, which are not logged). */
  op: Operation | null;
  /** Queues webhook redeliveries (the Durable Object's binding to the hooks queue). */
  hooks: HookSender;
}

export interface HookSender {
  /** Asks for one delivery to be sent again. */
  redeliver(hookId: string, deliveryId: string): Promise<void>;
}

export type Handler = (ctx: ApiContext) => Response | Promise<Response>;
