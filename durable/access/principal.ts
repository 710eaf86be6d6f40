// Who is calling, as the Worker resolved it from the request's credentials, and how the Worker hands
// that to a repository's Durable Object: one header that only the Worker sets (it drops any copy a
// client sends; Durable Objects are not reachable from outside).

/** Access levels, each including the ones before it. */
export const LEVELS = ["none", "read", "write", "admin"] as const;
export type Level = (typeof LEVELS)[number];

export interface Principal {
  /** Recorded as the actor of every event: the token's name, "admin" or "anonymous". */
  actor: string;
  /** The token's id; null for the admin and for anonymous callers. */
  actorId: string | null;
  /** What this principal may do in the repository the request is for. */
  access: Level;
  /** Whether the request carried credentials (a missing token gets 401, a weak one 403 or 404). */
  presented: boolean;
  /** Set when every write is refused server-wide, saying why. */
  writesLocked: string | null;
}

export const PRINCIPAL_HEADER = "X-Principal";

export const ANONYMOUS_ADMIN: Principal = { actor: "anonymous", actorId: null, access: "admin", presented: false, writesLocked: null };

export function atLeast(level: Level, needed: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(needed);
}

export function encodePrincipal(p: Principal): string {
  return encodeURIComponent(JSON.stringify(p));
}

/** The principal the Worker set; a request without one (only tests call the object directly) is an anonymous admin, as in open mode. */
export function decodePrincipal(header: string | null): Principal {
  return header === null ? ANONYMOUS_ADMIN : (JSON.parse(decodeURIComponent(header)) as Principal);
}
