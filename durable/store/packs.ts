// The pack catalogue: which packs exist, their tier and state, and range reads of their bytes
// from DOFS (hot), from a pack still being written (incoming) or from R2 (archived).
import type { Dofs, DofsWriter } from "./dofs";

export interface PackInfo {
  id: number;
  path: string;
  bytes: number;
  objects: number;
  tier: "hot" | "archived";
  r2Key: string | null;
  state: "incoming" | "live" | "archiving";
}

export class PackCatalogue {
  private readonly packs = new Map<number, PackInfo>();
  private readonly writers = new Map<number, DofsWriter>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly dofs: Dofs,
    private readonly bucket?: R2Bucket,
  ) {
    for (const row of sql.exec<{ id: number; path: string; bytes: number; objects: number; tier: string; r2_key: string | null; state: string }>(
      "SELECT id, path, bytes, objects, tier, r2_key, state FROM packs",
    )) {
      this.packs.set(row.id, {
        id: row.id,
        path: row.path,
        bytes: row.bytes,
        objects: row.objects,
        tier: row.tier as PackInfo["tier"],
        r2Key: row.r2_key,
        state: row.state as PackInfo["state"],
      });
    }
  }

  get(id: number): PackInfo | undefined {
    return this.packs.get(id);
  }

  /** Live and archiving packs are readable by everyone; incoming ones only by the push that writes them. */
  isReadable(id: number): boolean {
    const state = this.packs.get(id)?.state;
    return state === "live" || state === "archiving";
  }

  /** Packs a crashed push left behind. */
  incomingIds(): number[] {
    return [...this.packs.values()].filter((p) => p.state === "incoming").map((p) => p.id);
  }

  /** Starts a pack in state incoming, and returns the writer for its bytes. */
  beginIncoming(): { id: number; writer: DofsWriter } {
    const now = Date.now();
    const path = `packs/incoming-${now}-${crypto.randomUUID()}.pack`;
    const id = this.sql.exec<{ id: number }>(
      "INSERT INTO packs (path, bytes, objects, tier, state, created_at, last_access_at) VALUES (?, 0, 0, 'hot', 'incoming', ?, ?) RETURNING id",
      path,
      now,
      now,
    ).one().id;
    const writer = this.dofs.create(path);
    this.packs.set(id, { id, path, bytes: 0, objects: 0, tier: "hot", r2Key: null, state: "incoming" });
    this.writers.set(id, writer);
    return { id, writer };
  }

  /** Seals the incoming pack's bytes (call before the transaction that makes it live). */
  seal(id: number, objects: number, checksum: string): void {
    const writer = this.writers.get(id);
    if (!writer) throw new Error(`pack ${id} is not being written`);
    const bytes = writer.close();
    this.writers.delete(id);
    this.sql.exec("UPDATE packs SET bytes = ?, objects = ?, checksum = ? WHERE id = ?", bytes, objects, checksum, id);
    Object.assign(this.packs.get(id)!, { bytes, objects });
  }

  /** Marks a sealed pack live; part of the push's ref transaction. */
  markLive(id: number): void {
    this.sql.exec("UPDATE packs SET state = 'live' WHERE id = ?", id);
    this.packs.get(id)!.state = "live";
  }

  /** Deletes a pack that never went live, with its chunks and index rows. */
  drop(id: number): void {
    const pack = this.packs.get(id);
    this.writers.delete(id);
    this.sql.exec("DELETE FROM objects WHERE pack_id = ?", id);
    if (pack) this.dofs.delete(pack.path);
    this.sql.exec("DELETE FROM packs WHERE id = ?", id);
    this.packs.delete(id);
  }

  /** Bytes [start, end) of a pack, wherever it is stored. */
  async read(id: number, start: number, end: number): Promise<Uint8Array> {
    const pack = this.packs.get(id);
    if (!pack) throw new Error(`pack ${id} does not exist`);
    const writer = this.writers.get(id);
    if (writer) return writer.read(this.dofs, start, end);
    if (pack.tier === "archived") return this.readArchived(pack, start, end);
    const stat = this.dofs.stat(pack.path);
    if (!stat) throw new Error(`pack ${id} has no file ${pack.path}`);
    return this.dofs.read(stat.id, start, end);
  }

  private async readArchived(pack: PackInfo, start: number, end: number): Promise<Uint8Array> {
    if (!this.bucket || !pack.r2Key) throw new Error(`pack ${pack.id} is archived but no bucket is bound`);
    const object = await this.bucket.get(pack.r2Key, { range: { offset: start, length: end - start } });
    if (!object) throw new Error(`archived pack ${pack.id} is missing from R2 (${pack.r2Key})`);
    return new Uint8Array(await object.arrayBuffer());
  }
}
