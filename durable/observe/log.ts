// The project's one logger. Each line is one JSON object: time, level, the event's name, and the
// fields its caller chose. Lines go to the console, where `wrangler tail` shows them in production and
// `npm start` prints them locally; no other module writes to the console. Callers never pass a secret,
// a token, a header or file content: a field is a name, a number or a message of this server's own.
// Tests replace the sink to read the lines.

export type LogLevel = "debug" | "info" | "warn" | "error";
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export type LogValue = string | number | boolean | null;
export type LogFields = Record<string, LogValue | undefined>;
export type LogSink = (level: LogLevel, line: string) => void;

const consoleSink: LogSink = (level, line) => (level === "warn" || level === "error" ? console.error(line) : console.log(line));
let sink: LogSink = consoleSink;
let threshold = 1;

/** Lines below `level` are dropped (LOG_LEVEL). */
export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level);
}

/** Where lines go; null for the console again. */
export function setLogSink(next: LogSink | null): void {
  sink = next ?? consoleSink;
}

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  if (LOG_LEVELS.indexOf(level) < threshold) return;
  const line: Record<string, LogValue> = { time: new Date().toISOString(), level, event };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) line[key] = value;
  sink(level, JSON.stringify(line));
}

/** The fields that describe a failure: the error's class and message (never its stack, which may quote data). */
export function errorFields(e: unknown): { error: string; message: string } {
  if (e instanceof Error) return { error: e.name === "Error" ? e.constructor.name : e.name, message: e.message };
  return { error: "unknown", message: String(e) };
}
