// The error every protocol codec throws on malformed input, and a helper to quote offending text
// in its message (shared by all gitprotocol-*.adoc parsers in this folder).
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The text as a quoted, escaped literal, cut to `max` characters, for error messages. */
export function quote(text: string, max = 100): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
