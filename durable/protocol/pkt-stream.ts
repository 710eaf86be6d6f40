// Reads pkt-lines one at a time from a request body stream, then hands over the unread rest
// (e.g. the packfile after the command list) (gitprotocol-common.adoc, "pkt-line Format").
import { ProtocolError } from "./errors";
import { concatBytes, readPkt, type Pkt } from "./pktline";

export class PktStreamReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private ended = false;
  private handedOver = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
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

  /** The unread bytes: what is buffered, then the rest of the source, read on demand. */
  rest(): ReadableStream<Uint8Array> {
    this.handedOver = true;
    const buffered = this.buf.subarray(this.pos);
    this.buf = new Uint8Array(0);
    this.pos = 0;
    const { reader, ended } = this;
    return new ReadableStream<Uint8Array>(
      {
        start(controller) {
          if (buffered.length > 0) controller.enqueue(buffered);
          if (ended) controller.close();
        },
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel(reason) {
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** Appends the next chunk of the source to the buffer; false at end of stream. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buf = this.pos === this.buf.length ? value : concatBytes([this.buf.subarray(this.pos), value]);
    this.pos = 0;
    return true;
  }
}
