// The API's routes as a table (paths under /api/repos/{owner}/{repo}/), and the matcher that finds
// the route for a request path.
import type { Handler } from "./context";
import { getHealth } from "./health";
import { postHousekeeping } from "./housekeeping";
import { getRefLogNdjson } from "./ndjson";
import { getRepo, patchRepo } from "./repo";
import { getSettingsLog } from "./settings-log";
import { getLockLog } from "./lock-log";
import { getPush } from "./pushes";
import { getRefLog } from "./ref-log";
import { getRefs } from "./refs-as-of";
import { postRestore } from "./restore";
import { getStorage } from "./storage";
import { getVerify } from "./verify";
import { getBranches, getTags } from "./browse/refs";
import { getCommit, getCommits } from "./browse/commits";
import { getBlob, getRaw, getTree } from "./browse/tree";
import { getCompare } from "./browse/compare";
import { getImport } from "./import";
import { deleteHookRoute, getDeliveries, getHook, getHooks, patchHook, postHook, postRedeliver } from "./hooks";

export interface Route {
  /** Segments after /api/repos/{owner}/{repo} ("" for the repository itself); ":name" matches any one segment, a last "*" one or more (as `rest`, joined by "/"). */
  path: string;
  methods: Record<string, Handler>;
}

export const ROUTES: Route[] = [
  { path: "", methods: { GET: getRepo, PATCH: patchRepo } },
  { path: "settings-log", methods: { GET: getSettingsLog } },
  { path: "lock-log", methods: { GET: getLockLog } },
  { path: "ref-log", methods: { GET: getRefLog } },
  { path: "ref-log.ndjson", methods: { GET: getRefLogNdjson } },
  { path: "ref-log/verify", methods: { GET: getVerify } },
  { path: "refs", methods: { GET: getRefs } },
  { path: "refs/restore", methods: { POST: postRestore } },
  { path: "pushes/:pushId", methods: { GET: getPush } },
  { path: "storage", methods: { GET: getStorage } },
  { path: "housekeeping", methods: { POST: postHousekeeping } },
  { path: "health", methods: { GET: getHealth } },
  { path: "branches", methods: { GET: getBranches } },
  { path: "tags", methods: { GET: getTags } },
  { path: "commits", methods: { GET: getCommits } },
  { path: "commits/:oid", methods: { GET: getCommit } },
  { path: "tree/*", methods: { GET: getTree } },
  { path: "blob/*", methods: { GET: getBlob } },
  { path: "raw/*", methods: { GET: getRaw } },
  { path: "compare/:spec", methods: { GET: getCompare } },
  { path: "import", methods: { GET: getImport } },
  { path: "hooks", methods: { GET: getHooks, POST: postHook } },
  { path: "hooks/:hookId", methods: { GET: getHook, PATCH: patchHook, DELETE: deleteHookRoute } },
  { path: "hooks/:hookId/deliveries", methods: { GET: getDeliveries } },
  { path: "hooks/:hookId/deliveries/:deliveryId/redeliver", methods: { POST: postRedeliver } },
];

/** /api/repos/{owner}/{repo}, then the route's segments, if any. */
const API_PREFIX = /^\/api\/repos\/[^/]+\/[^/]+(?:\/(.*))?$/;

/** The route for `pathname` with its path parameters, or null when none matches. */
export function matchRoute(pathname: string): { route: Route; params: Record<string, string> } | null {
  const match = API_PREFIX.exec(pathname);
  if (!match) return null;
  const rest = match[1] ?? "";
  const segments = rest.split("/");
  for (const route of ROUTES) {
    const pattern = route.path.split("/");
    const rest = pattern[pattern.length - 1] === "*";
    if (rest ? segments.length < pattern.length : pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((p, i) => {
      if (p === "*") {
        const tail = segments.slice(i).map((t) => (t === "" ? "" : decodeSegment(t)));
        if (tail.some((t) => t === null)) return false;
        params.rest = tail.join("/");
        return true;
      }
      const segment = segments[i]!;
      if (!p.startsWith(":")) return p === segment;
      const value = decodeSegment(segment);
      if (!value) return false;
      params[p.slice(1)] = value;
      return true;
    });
    if (matches) return { route, params };
  }
  return null;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment) || null;
  } catch {
    return null;
  }
}
