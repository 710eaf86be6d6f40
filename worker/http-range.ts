// The Range header of a GET (RFC 9110 §14.1.2 and §14.2), for one byte range of a body of known size.
// Pure. Only a single range is served: a header with several, or one that does not parse, is ignored
// and the whole body sent, as §14.2 allows; a range that starts past the end is unsatisfiable (416).

export type RangeAnswer = { offset: number; length: number } | "whole" | "unsatisfiable";

const SINGLE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return "whole";
  const m = SINGLE.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "whole";
  if (m[1] === "") {
    // A suffix: the last n bytes.
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    const length = Math.min(n, size);
    return length === 0 ? "unsatisfiable" : { offset: size - length, length };
  }
  const first = Number(m[1]);
  const last = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < first) return "whole";
  if (first >= size) return "unsatisfiable";
  return { offset: first, length: last - first + 1 };
}

/** The Content-Range of an answer to `range` (§14.4). */
export function contentRange(range: { offset: number; length: number }, size: number): string {
  return `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`;
}
