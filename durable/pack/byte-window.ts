// A growable window over a byte stream: the pack indexer reads ahead as far as one entry needs,
// and consumed bytes are dropped, so memory stays near the size of the largest entry.
import { humanBytes, LimitError } from "../errors";
import type { ChunkSource } from "../protocol/chunk-source";

export class ByteWindow {
  private buf = new Uint8Array(1 << 16);
  private start = 0;
  private end = 0;
  /** Absolute stream offset of buf[start]. */
  offset = 0;
  eof = false;
  private total = 0;

  constructor(
    private readonly source: ChunkSource,
    private readonly onChunk: (chunk: Uint8Array) => void,
    private readonly maxBytes: number,
  ) {}

  get available(): number {
    return this.end - this.start;
  }

  /** The unconsumed bytes (a view; valid until the next fill). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** Reads until at least `n` bytes are available or the stream ends. */
  async fill(n: number): Promise<void> {
    while (this.available < n && !this.eof) {
      const value = await this.source.read();
      if (!value) {
        this.eof = true;
        break;
      }
      this.total += value.length;
      if (this.total > this.maxBytes) throw new LimitError(`push is over this server's limit of ${humanBytes(this.maxBytes)}; push in smaller pieces`);
      this.onChunk(value);
      this.append(value);
    }
  }

  /** Drops `n` bytes from the front and returns them (a view valid until the next fill). */
  consume(n: number): Uint8Array {
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    this.offset += n;
    return out;
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.available;
      const want = Math.max(1 << 16, (live + chunk.length) * 2);
      // Grow for a large entry, and shrink back once it has been consumed.
      const next = want > this.buf.length || want < this.buf.length / 4 ? new Uint8Array(want) : this.buf;
      next.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }
}
