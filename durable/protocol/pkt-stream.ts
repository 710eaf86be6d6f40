// Reads pkt-lines one at a time from a request body stream, then hands over the unread rest
// (e.g. the packfile after the command list) (gitprotocol-common.adoc, "pkt-line Format").
import { chunkSource, prepend, type ChunkSource } from "./chunk-source";
import { ProtocolError } from "../errors";
import { concatBytes, readPkt, type Pkt } from "./pktline";

export class PktStreamReader {
  private readonly source: ChunkSource;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private ended = false;
  private handedOver = false;
  private bytes = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    // Counted here, on the source itself: a stream wrapped around the body would lose the byte
    // stream's large reads (chunk-source.ts), which made a push of git's history a third slower.
    const source = chunkSource(stream);
    this.source = {
      read: async () => {
        const piece = await source.read();
        if (piece) this.bytes += piece.length;
        return piece;
      },
      discardRest: () => source.discardRest(),
    };
  }

  /** The bytes read from the stream so far, by pkt reads and by the reader of the rest (not those discarded unread). */
  get bytesRead(): number {
    return this.bytes;
  }

  /** The next pkt; null at a clean end of stream. Throws ProtocolError if the stream ends inside a pkt. */
  async read(): Promise<Pkt | null> {
    if (this.handedOver) throw new ProtocolError("pkt stream read after rest() was taken");
    for (;;) {
      const got = readPkt(this.buf, this.pos);
      if (got) {
        this.pos = got.next;
        return got.pkt;
      }
      if (!(await this.fill())) {
        const left = this.buf.length - this.pos;
        if (left === 0) return null;
        throw new ProtocolError(`stream ended inside a pkt-line (${left} bytes of it received)`);
      }
    }
  }

  /** Reads whatever of the stream is unread, unused (ChunkSource.discardRest). */
  discardRest(): Promise<void> {
    return this.source.discardRest();
  }

  /** The unread bytes: what is buffered, then the rest of the source, read on demand. */
  rest(): ChunkSource {
    this.handedOver = true;
    const buffered = this.buf.subarray(this.pos);
    this.buf = new Uint8Array(0);
    this.pos = 0;
    return prepend(buffered, this.source);
  }

  /** Appends the next chunk of the source to the buffer (a copy: the source reuses its own); false at end of stream. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const left = this.buf.subarray(this.pos);
    const value = await this.source.read();
    if (!value) {
      this.ended = true;
      return false;
    }
    this.buf = concatBytes([left, value]);
    this.pos = 0;
    return true;
  }
}
