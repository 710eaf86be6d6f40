// DOFS, owner of the `files` and `chunks` tables: files stored in SQLite as ordered chunks (64 KiB for
// new files, 512 KiB for files written before; a row may hold 2 MB at most).
// Writes stream chunk by chunk; a read of [start, end) touches only the chunks that overlap it.
import { StorageError } from "../errors";
import { tick } from "../pacing";

/** Where discarded files wait for their chunks to be deleted. */
const TRASH = "trash/";
/** Chunks deleted between turns: 4 MiB of rows. */
const DELETE_CHUNKS = 64;

/**
 * The chunk size of new files. SQLite loads a whole row for any slice of it, and a walk over a large
 * pack reads small entries scattered through it: with 512 KiB chunks, a walk-served clone of git's own
 * history spent a tenth of its time more (66.7 s against 60.4 s) loading rows. Older files keep theirs.
 */
export const CHUNK_SIZE = 64 * 1024;

/** Where a file's chunks are: enough to read it. */
export interface FileChunks {
  id: number;
  chunkSize: number;
}

export interface FileStat extends FileChunks {
  size: number;
  mtime: number;
}

type FileRow = { id: number; size: number; mtime: number; chunk_size: number };

export class Dofs {
  constructor(private readonly sql: SqlStorage) {}

  stat(path: string): FileStat | null {
    const row = this.sql.exec<FileRow>("SELECT id, size, mtime, chunk_size FROM files WHERE path = ?", path).toArray()[0];
    return row ? { id: row.id, size: row.size, mtime: row.mtime, chunkSize: row.chunk_size } : null;
  }

  /** Creates an empty file (replacing any old one) and returns a writer that appends to it. */
  create(path: string): DofsWriter {
    this.delete(path);
    const insert = "INSERT INTO files (path, size, mtime, chunk_size) VALUES (?, 0, ?, ?) RETURNING id";
    const id = this.sql.exec<{ id: number }>(insert, path, Date.now(), CHUNK_SIZE).one().id;
    return new DofsWriter(this.sql, { id, chunkSize: CHUNK_SIZE });
  }

  writeFile(path: string, data: Uint8Array): void {
    const writer = this.create(path);
    writer.write(data);
    writer.close();
  }

  readFile(path: string): Uint8Array | null {
    const stat = this.stat(path);
    return stat ? this.read(stat, 0, stat.size) : null;
  }

  /** Bytes [start, end) of a file. SQLite slices each chunk, so only the bytes asked for reach JS. */
  read(file: FileChunks, start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, end - start));
    for (let pos = start; pos < end; ) {
      const idx = Math.floor(pos / file.chunkSize);
      const from = pos - idx * file.chunkSize;
      const length = Math.min(end - pos, file.chunkSize - from);
      const part = this.chunkPart(file, idx, from, length);
      // A read of exactly one chunk needs no copy.
      if (length === out.length) return part;
      out.set(part, pos - start);
      pos += length;
    }
    return out;
  }

  /** `length` bytes of chunk `idx` from `from`: the whole row when that is all of it, else a slice SQLite cuts. */
  private chunkPart(file: FileChunks, idx: number, from: number, length: number): Uint8Array {
    const query = from === 0 && length === file.chunkSize
      ? this.sql.exec<{ data: ArrayBuffer }>("SELECT data FROM chunks WHERE file_id = ? AND idx = ?", file.id, idx)
      : this.sql.exec<{ data: ArrayBuffer }>("SELECT substr(data, ?, ?) AS data FROM chunks WHERE file_id = ? AND idx = ?", from + 1, length, file.id, idx);
    const row = query.toArray()[0];
    if (!row || row.data.byteLength !== length) throw new StorageError(`DOFS file ${file.id} is short: no ${length} bytes at ${idx * file.chunkSize + from}`);
    return new Uint8Array(row.data);
  }

  /** Streams bytes [start, end) of a file, one chunk at a time. */
  *chunks(file: FileChunks, start = 0, end = Infinity): Generator<Uint8Array> {
    const stat = this.sql.exec<{ size: number }>("SELECT size FROM files WHERE id = ?", file.id).one();
    const stop = Math.min(end, stat.size);
    for (let pos = start; pos < stop; ) {
      const next = Math.min(stop, (Math.floor(pos / file.chunkSize) + 1) * file.chunkSize);
      yield this.read(file, pos, next);
      pos = next;
    }
  }

  delete(path: string): void {
    const stat = this.stat(path);
    if (!stat) return;
    this.sql.exec("DELETE FROM chunks WHERE file_id = ?", stat.id);
    this.sql.exec("DELETE FROM files WHERE id = ?", stat.id);
  }

  /**
   * Takes a file out of reach at once, inside whatever transaction the caller runs, and leaves its
   * chunks to emptyTrash: deleting a large pack's chunks is too long a stretch to run in one go.
   */
  discard(path: string): void {
    this.sql.exec(`UPDATE files SET path = '${TRASH}' || id WHERE path = ?`, path);
  }

  /** Deletes the discarded files, DELETE_CHUNKS chunks at a time, giving way between them; also finishes what a crash left. */
  async emptyTrash(): Promise<void> {
    for (const path of this.list(TRASH)) {
      const stat = this.stat(path);
      if (!stat) continue;
      const last = stat.chunkSize > 0 ? Math.ceil(stat.size / stat.chunkSize) : 0;
      for (let top = last; top > 0; top -= DELETE_CHUNKS) {
        this.sql.exec("DELETE FROM chunks WHERE file_id = ? AND idx >= ?", stat.id, Math.max(0, top - DELETE_CHUNKS));
        await tick();
      }
      this.sql.exec("DELETE FROM chunks WHERE file_id = ?", stat.id);
      this.sql.exec("DELETE FROM files WHERE id = ?", stat.id);
    }
  }

  /** Paths that start with `prefix`, sorted. */
  list(prefix: string): string[] {
    return this.sql
      .exec<{ path: string }>("SELECT path FROM files WHERE substr(path, 1, ?) = ? ORDER BY path", prefix.length, prefix)
      .toArray()
      .map((r) => r.path);
  }
}

/** Appends to one DOFS file, holding at most one chunk in memory. Bytes not yet flushed are readable too. */
export class DofsWriter {
  private readonly pending: Uint8Array;
  private pendingLength = 0;
  private flushed = 0;

  constructor(
    private readonly sql: SqlStorage,
    readonly file: FileChunks,
  ) {
    this.pending = new Uint8Array(file.chunkSize);
  }

  get id(): number {
    return this.file.id;
  }

  get size(): number {
    return this.flushed + this.pendingLength;
  }

  write(bytes: Uint8Array): void {
    let p = 0;
    while (p < bytes.length) {
      const n = Math.min(this.pending.length - this.pendingLength, bytes.length - p);
      this.pending.set(bytes.subarray(p, p + n), this.pendingLength);
      this.pendingLength += n;
      p += n;
      if (this.pendingLength === this.pending.length) this.flush();
    }
  }

  /** Bytes [start, end) written so far, flushed or not. */
  read(dofs: Dofs, start: number, end: number): Uint8Array {
    if (end <= this.flushed) return dofs.read(this.file, start, end);
    const out = new Uint8Array(end - start);
    if (start < this.flushed) out.set(dofs.read(this.file, start, this.flushed));
    const from = Math.max(start, this.flushed);
    out.set(this.pending.subarray(from - this.flushed, end - this.flushed), from - start);
    return out;
  }

  /** Writes the last partial chunk and records the size. */
  close(): number {
    if (this.pendingLength > 0) this.flush();
    this.sql.exec("UPDATE files SET size = ?, mtime = ? WHERE id = ?", this.flushed, Date.now(), this.id);
    return this.flushed;
  }

  private flush(): void {
    const idx = this.flushed / this.pending.length;
    // SQLite copies a bound blob, so the buffer is reused rather than sliced.
    this.sql.exec("INSERT INTO chunks (file_id, idx, data) VALUES (?, ?, ?)", this.id, idx, this.pending.subarray(0, this.pendingLength));
    this.flushed += this.pendingLength;
    this.pendingLength = 0;
  }
}
