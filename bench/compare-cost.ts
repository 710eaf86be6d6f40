// What an operation of ours costs on the platform, from the operation lines the server logs
// (durable/observe/operation.ts): SQLite rows read and written, R2 operations by class, and their
// price. The prices are the platform's published ones, in one place, with the date they were read.

/** USD per million, read 2026-12-03 from Cloudflare's pricing pages (Durable Objects' SQLite storage is billed as D1's rows; R2 operations by class), beyond each plan's included amounts. */
export const PRICES = { rowRead: 0.001, rowWritten: 1.0, r2ClassA: 4.5, r2ClassB: 0.36 } as const;

export interface Cost {
  rowsRead: number;
  rowsWritten: number;
  r2ClassA: number;
  r2ClassB: number;
}

/** The sums over operation lines. */
export function costOf(lines: Record<string, unknown>[]): Cost {
  const sum = (field: keyof Cost) => lines.reduce((n, line) => n + (typeof line[field] === "number" ? (line[field] as number) : 0), 0);
  return { rowsRead: sum("rowsRead"), rowsWritten: sum("rowsWritten"), r2ClassA: sum("r2ClassA"), r2ClassB: sum("r2ClassB") };
}

export function dollars(cost: Cost): number {
  return (cost.rowsRead * PRICES.rowRead + cost.rowsWritten * PRICES.rowWritten + cost.r2ClassA * PRICES.r2ClassA + cost.r2ClassB * PRICES.r2ClassB) / 1e6;
}

/** Waits until the server has logged every line of an operation that just ended (they follow the response's last byte). */
export async function settledLines(read: () => Record<string, unknown>[], from: number): Promise<Record<string, unknown>[]> {
  let seen = read().length;
  for (let quiet = 0, waited = 0; quiet < 2 && waited < 20; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = read().length;
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
  }
  return read().slice(from);
}
