import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExampleResult } from "../core/report.ts";

/** Where one row lies in a spool's file: what a report writer copies without decoding it. */
export interface SpooledRow {
  readonly spool: RowSpool;
  readonly offset: number;
  readonly bytes: number;
  /** The row itself had no text (an example with nothing to export). */
  readonly empty: boolean;
}

/**
 * The text a report writer makes of each example, made while the run goes on (when the main thread
 * mostly waits for the replay threads) and kept in a temporary file rather than in memory, to be
 * put in report order at the end. Rows are found by the example's graph, version and id, which are
 * unique in a run, so the report's row need not be the very object the row was made from. Nothing
 * changes a result after the run but an upload, which adds a trace_url: a row is used only while its
 * result still has none. Rows are written a megabyte at a time (a write each cost a system call).
 *
 * Each row is stored after the separator that goes before it in the report (`separator`): rows
 * that arrive in report order (most do) are then one stretch of the file, which the report writer
 * copies a megabyte at a time instead of reading, decoding and encoding each row.
 */
export class RowSpool {
  private fd: number | null = null;
  private dir: string | null = null;
  private end = 0;
  /** Rows not yet in the file, and where in it they will start. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private written = 0;
  private readonly rows = new Map<string, { offset: number; bytes: number }>();
  private readonly separator: string;
  private readonly separatorBytes: number;

  constructor(separator = "") {
    this.separator = separator;
    this.separatorBytes = Buffer.byteLength(separator, "utf8");
  }

  add(result: ExampleResult, text: string): void {
    if (result.trace_url !== undefined) return;
    if (this.fd === null) this.open();
    const bytes = this.separatorBytes + Buffer.byteLength(text, "utf8");
    this.rows.set(keyOf(result), { offset: this.end, bytes });
    this.end += bytes;
    this.pending.push(this.separator, text);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  /**
   * The file is unlinked as soon as it is open: the open descriptor keeps it readable, and the
   * system frees it when the process ends however it ends (a SIGKILL or a crash included), so no
   * run leaves rows in the temporary folder. Where an open file cannot be unlinked, it goes when
   * the process exits.
   */
  private open(): void {
    const dir = mkdtempSync(join(tmpdir(), "evalgate-rows-"));
    const file = join(dir, "rows");
    this.fd = openSync(file, "w+");
    try {
      unlinkSync(file);
      rmdirSync(dir);
    } catch {
      this.dir = dir;
      process.once("exit", this.cleanUp);
    }
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""), this.written, "utf8");
    this.written = this.end;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The row made for `result` (its text alone), if there is one and it still stands. */
  take(result: ExampleResult): string | undefined {
    const row = this.row(result, false);
    if (!row) return undefined;
    const buffer = Buffer.allocUnsafe(row.bytes);
    this.read(buffer, row.offset, row.bytes);
    return buffer.toString("utf8");
  }

  /** Where the row made for `result` lies, with the separator before it or without, if it still stands. */
  row(result: ExampleResult, withSeparator: boolean): SpooledRow | undefined {
    const row = this.rows.get(keyOf(result));
    if (!row || this.fd === null || result.trace_url !== undefined) return undefined;
    const skip = withSeparator ? 0 : this.separatorBytes;
    return { spool: this, offset: row.offset + skip, bytes: row.bytes - skip, empty: row.bytes === this.separatorBytes };
  }

  /** Reads `bytes` of the file from `offset` into the start of `buffer`. */
  read(buffer: Buffer, offset: number, bytes: number): void {
    this.flush();
    let done = 0;
    while (done < bytes) {
      const got = readSync(this.fd!, buffer, done, bytes - done, offset + done);
      if (got === 0) throw new Error(`the report rows' temporary file ended ${bytes - done} bytes early`);
      done += got;
    }
  }

  private readonly cleanUp = () => this.close();

  close(): void {
    process.removeListener("exit", this.cleanUp);
    if (this.fd !== null) closeSync(this.fd);
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.fd = null;
    this.dir = null;
    this.rows.clear();
    this.pending = [];
    this.pendingBytes = 0;
    this.end = 0;
    this.written = 0;
  }
}

function keyOf(result: ExampleResult): string {
  return `${result.graph}@v${result.dataset_version}/${result.id}`;
}
