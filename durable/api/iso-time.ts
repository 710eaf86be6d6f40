// Strict ISO-8601 times for query parameters: a date (UTC midnight) or a date and time with Z or an
// offset. Parsed by hand because Date.parse also accepts other formats and rolls over bad dates.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|([+\- ])(\d{2}):(\d{2})))?$/;

/** Milliseconds since the epoch, or null when `text` is not an ISO-8601 time that exists. */
export function parseIsoTime(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(local);
  const exists = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  if (!exists) return null;
  // A space stands for "+", which an unencoded query string turns into one.
  const sign = m[9] === "-" ? -1 : 1;
  const offsetMinutes = m[9] ? sign * (Number(m[10]) * 60 + Number(m[11])) : 0;
  if (Math.abs(offsetMinutes) > 18 * 60) return null;
  return local - offsetMinutes * 60_000;
}
