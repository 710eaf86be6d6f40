// Which URLs the server may send requests to (webhook deliveries): http or https, and, unless private
// addresses are allowed, not a loopback, private, link-local, shared (CGNAT), multicast or reserved
// address, nor a name that stands for one (localhost, *.localhost, *.local, *.internal). Pure. Names
// are not resolved here (the Workers runtime has no resolver); on the platform, fetch() does not
// reach a deployment's private networks either.

/** What is wrong with `text` as an outbound URL, or null when it may be used. */
export function outboundUrlProblem(text: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not a URL`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `only http and https URLs are allowed, not ${url.protocol}`;
  if (url.username || url.password) return "the URL must not hold credentials; use the secret for signing";
  if (allowPrivate) return null;
  const host = url.hostname.toLowerCase();
  const refused = `${host} is a loopback, private or link-local address; this server refuses those (ALLOW_PRIVATE_URLS=true allows them)`;
  if (host === "localhost" || /\.(localhost|local|internal)$/.test(host)) return refused;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return privateV4(v4.slice(1).map(Number)) ? refused : null;
  if (host.startsWith("[")) return privateV6(host.slice(1, -1)) ? refused : null;
  return null;
}

function privateV4([a, b]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b! >= 64 && b! < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! < 32) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

/** Loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), and IPv4 in IPv6 of a private IPv4. */
function privateV6(host: string): boolean {
  if (host === "::1" || host === "::") return true;
  const mapped = /^::ffff:(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const parts = mapped[0].includes(".") ? mapped.slice(1).map(Number) : [parseInt(mapped[1]!, 16) >> 8, parseInt(mapped[1]!, 16) & 255];
    return privateV4(parts);
  }
  const first = parseInt(host.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
