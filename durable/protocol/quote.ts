// Quotes offending text in the error messages of every gitprotocol-*.adoc parser in this folder.

/** The text as a quoted, escaped literal, cut to `max` characters, for error messages. */
export function quote(text: string, max = 100): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}
