// Request bodies of the API: one JSON object, read whole up to a size limit (413 beyond it), refused
// with 400 when it does not parse, is not an object, or names a key twice at any depth (JSON.parse
// would silently keep the last value, so {"visibility": "private", "visibility": "public"} could
// mean either).
import { ApiError } from "../errors";
import { readBody } from "../service/read-body";

export async function readJsonObject(request: Request, maxBytes: number): Promise<Record<string, unknown>> {
  const text = request.body ? new TextDecoder().decode(await readBody(request.body, maxBytes)) : "";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "malformed JSON body", (e as Error).message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ApiError(400, "malformed JSON body", "expected a JSON object");
  const repeated = repeatedKey(text);
  if (repeated !== null) throw new ApiError(400, "malformed JSON body", `the key ${JSON.stringify(repeated)} is given more than once`);
  return value as Record<string, unknown>;
}

/** The first key that one object of `text` (valid JSON) holds twice, or null. */
export function repeatedKey(text: string): string | null {
  const objects: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") {
      objects.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      objects.push(null);
    } else if (c === "}" || c === "]") {
      objects.pop();
    } else if (c === ",") {
      expectKey = objects[objects.length - 1] != null;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const keys = objects[objects.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      expectKey = false;
      i = end;
    }
  }
  return null;
}
