// The objects a fetch sends, and those the walk excluded, as binary ids in one OidTable: a full clone
// of git's own history sends 420,000 objects, which as a Set of hex strings (with a list of them in
// walk order) took some 35 MB of the isolate's 128.
import { bytesToHex, writeHexBytes } from "../pack/hex";
import { OidTable } from "../pack/oid-table";

const SENT = 1;
const EXCLUDED = 2;
const PACKED = 4;
/** Reached but left out by a partial clone's filter. */
const FILTERED = 8;
/** The largest pack offset kept for OFS_DELTA (OidTable holds 32-bit numbers). */
const MAX_OFFSET = 2 ** 32 - 2;

export class SendSet {
  private readonly table = new OidTable();
  private readonly id = new Uint8Array(20);
  private sent = 0;
  private packed = 0;

  /** How many objects are sent. */
  get count(): number {
    return this.sent;
  }

  has(oid: string): boolean {
    return (this.flagsOf(oid) & SENT) !== 0;
  }

  /** Whether the client has the object: the walk excluded it, being reachable from what the client has. */
  excluded(oid: string): boolean {
    return (this.flagsOf(oid) & EXCLUDED) !== 0;
  }

  /** Whether the object is sent, excluded or filtered out. */
  seen(oid: string): boolean {
    return this.flagsOf(oid) !== 0;
  }

  /** Whether the object whose id is at `bytes[at..at+20)` is sent, excluded or filtered out. */
  seenAt(bytes: Uint8Array, at: number): boolean {
    return this.table.flagsOf(bytes, at) !== 0;
  }

  add(oid: string): void {
    writeHexBytes(oid, this.id, 0);
    this.addAt(this.id, 0);
  }

  addAt(bytes: Uint8Array, at: number): void {
    if (this.table.flagsOf(bytes, at) & SENT) return;
    this.table.mark(bytes, at, SENT);
    this.sent++;
  }

  exclude(oid: string): void {
    writeHexBytes(oid, this.id, 0);
    this.excludeAt(this.id, 0);
  }

  excludeAt(bytes: Uint8Array, at: number): void {
    this.table.mark(bytes, at, EXCLUDED);
  }

  /** Marks the object as reached but filtered out, so that the walk passes it by. */
  filter(oid: string): void {
    writeHexBytes(oid, this.id, 0);
    this.filterAt(this.id, 0);
  }

  /** Marks the object at `bytes[at..at+20)` as reached but filtered out. */
  filterAt(bytes: Uint8Array, at: number): void {
    this.table.mark(bytes, at, FILTERED);
  }

  /**
   * Notes where a sent object was written in the pack, for later deltas on it (OFS_DELTA). Offsets are
   * kept in 32 bits: past 4 GiB a delta's base is named by id instead (REF_DELTA).
   */
  wrote(oid: string, offset: number): void {
    if (offset > MAX_OFFSET) return;
    writeHexBytes(oid, this.id, 0);
    this.table.setValue(this.id, 0, offset);
  }

  /** Where a sent object was written in the pack, or undefined when it is not written yet. */
  offsetOf(oid: string): number | undefined {
    writeHexBytes(oid, this.id, 0);
    const offset = this.table.valueOf(this.id, 0);
    return offset < 0 ? undefined : offset;
  }

  /** Notes a sent object as written into the pack; false when it is not sent or is written already. */
  pack(oid: string): boolean {
    const flags = this.flagsOf(oid);
    if (!(flags & SENT) || flags & PACKED) return false;
    this.table.mark(this.id, 0, PACKED);
    this.packed++;
    return true;
  }

  /** Whether every sent object has been packed. */
  allPacked(): boolean {
    return this.packed === this.sent;
  }

  /** The sent objects' ids; `packed` false: only those not packed yet. */
  oids(packed = true): string[] {
    const out: string[] = [];
    this.table.forEach((id, flags) => {
      if (flags & SENT && (packed || !(flags & PACKED))) out.push(bytesToHex(id));
    });
    return out;
  }

  private flagsOf(oid: string): number {
    writeHexBytes(oid, this.id, 0);
    return this.table.flagsOf(this.id, 0);
  }
}
