// The secret a request presents: the password of Basic auth (what git and its credential helpers
// send, with any username) or a Bearer token (for the API); RFC 7617 and RFC 6750.

/** The presented secret; null when the request has no credentials; "" when they do not parse. */
export function presentedSecret(authorization: string | null): string | null {
  if (authorization === null) return null;
  const [scheme, value = ""] = authorization.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? "")) return value;
  if (!/^basic$/i.test(scheme ?? "")) return "";
  let decoded: string;
  try {
    decoded = atob(value);
  } catch {
    return "";
  }
  const colon = decoded.indexOf(":");
  return colon === -1 ? "" : decoded.slice(colon + 1);
}
