// Request bodies of the API: a small JSON object, read with a size cap (400 when it does not parse,
// 413 when it is too large).
import { ApiError, LimitError } from "../errors";

export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await readCapped(request, MAX_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "malformed JSON body", (e as Error).message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ApiError(400, "malformed JSON body", "expected a JSON object");
  return value as Record<string, unknown>;
}

async function readCapped(request: Request, max: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new LimitError(`request body is over the limit of ${max} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
}
