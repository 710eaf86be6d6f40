// What a repository's Durable Object costs on the platform, counted as it runs: SQLite rows read and
// written (the SQL API's per-statement counts, which the platform bills) and R2 operations by class
// (A: writes and listings, B: reads). Operations read the counters at their start and end
// (operation.ts); an operation that overlaps another of the same repository counts the other's rows too.

export class Counters {
  rowsRead = 0;
  rowsWritten = 0;
  r2ClassA = 0;
  r2ClassB = 0;
  /** The last statement's cursor: its rows are added when the next statement starts, or on a snapshot. */
  private last: SqlStorageCursor<Record<string, SqlStorageValue>> | null = null;

  /** `sql` with every statement counted. */
  countSql(sql: SqlStorage): SqlStorage {
    return new Proxy(sql, {
      get: (target, key) => {
        if (key !== "exec") return Reflect.get(target, key, target);
        return (query: string, ...bindings: unknown[]) => {
          this.settle();
          const cursor = target.exec(query, ...bindings);
          this.last = cursor;
          return cursor;
        };
      },
    });
  }

  /**
   * `bucket` with every call counted by its class: reads (get, head) are class B; writes, listings and
   * each part and completion of a multipart upload are class A; deletes and aborts are free.
   */
  countR2(bucket: R2Bucket): R2Bucket {
    return this.counted(bucket, (key, result) => {
      if (key === "get" || key === "head") this.r2ClassB++;
      // resumeMultipartUpload only makes a handle: no request.
      else if (key !== "delete" && key !== "resumeMultipartUpload") this.r2ClassA++;
      if (key === "resumeMultipartUpload") return this.countUpload(result as R2MultipartUpload);
      if (key === "createMultipartUpload") return (result as Promise<R2MultipartUpload>).then((upload) => this.countUpload(upload));
      return result;
    });
  }

  private countUpload(upload: R2MultipartUpload): R2MultipartUpload {
    return this.counted(upload, (key, result) => {
      if (key !== "abort") this.r2ClassA++;
      return result;
    });
  }

  /** `target` whose method calls go through `after(method name, result)`, which may replace the result. */
  private counted<T extends object>(target: T, after: (key: string | symbol, result: unknown) => unknown): T {
    return new Proxy(target, {
      get: (object, key) => {
        const value = Reflect.get(object, key, object);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => after(key, (value as (...a: unknown[]) => unknown).apply(object, args));
      },
    });
  }

  /** The counts so far. */
  snapshot(): { rowsRead: number; rowsWritten: number; r2ClassA: number; r2ClassB: number } {
    this.settle();
    return { rowsRead: this.rowsRead, rowsWritten: this.rowsWritten, r2ClassA: this.r2ClassA, r2ClassB: this.r2ClassB };
  }

  private settle(): void {
    if (!this.last) return;
    this.rowsRead += this.last.rowsRead;
    this.rowsWritten += this.last.rowsWritten;
    this.last = null;
  }
}
