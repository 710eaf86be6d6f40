// Capability lists: space-separated "key" or "key=value" words
// (gitprotocol-capabilities.adoc; gitprotocol-pack.adoc, "capability-list").
export const AGENT = "git-on-workers/0.1";

export function parseCapabilities(text: string): Map<string, string | true> {
  const caps = new Map<string, string | true>();
  for (const word of text.split(" ")) if (word !== "") addCapability(caps, word);
  return caps;
}

/** Adds one "key" (value true) or "key=value" (split at the first "="). */
export function addCapability(caps: Map<string, string | true>, word: string): void {
  const eq = word.indexOf("=");
  if (eq < 0) caps.set(word, true);
  else caps.set(word.slice(0, eq), word.slice(eq + 1));
}

export function formatCapabilities(caps: string[]): string {
  return caps.join(" ");
}
