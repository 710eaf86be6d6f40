// Opaque paging cursors: the listing's order and the seq of the last event a page returned, base64url.
// The next page resumes strictly after that seq (keyset paging): appends never shift it.
import type { Order } from "../refs/audit";

export interface Cursor {
  order: Order;
  seq: number;
}

const FORMAT = /^(asc|desc):(0|[1-9]\d{0,15})$/;

export function encodeCursor(c: Cursor): string {
  return btoa(`${c.order}:${c.seq}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor, or null when `text` is not one this API issued. */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let plain: string;
  try {
    plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = FORMAT.exec(plain);
  return m ? { order: m[1] as Order, seq: Number(m[2]) } : null;
}
