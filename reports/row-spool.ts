import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExampleResult } from "../core/report.ts";

/**
 * The text a report writer makes of each example, made while the run goes on (when the main thread
 * mostly waits for the replay threads) and kept in a temporary file rather than in memory, to be
 * put in report order at the end. Rows are found by the example's graph, version and id, which are
 * unique in a run, so the report's row need not be the very object the row was made from. Nothing
 * changes a result after the run but an upload, which adds a trace_url: a row is used only while its
 * result still has none. Rows are written a megabyte at a time (a write each cost a system call).
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

  add(result: ExampleResult, text: string): void {
    if (result.trace_url !== undefined) return;
    if (this.fd === null) this.open();
    const bytes = Buffer.byteLength(text, "utf8");
    this.rows.set(keyOf(result), { offset: this.end, bytes });
    this.end += bytes;
    this.pending.push(text);
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

  /** The row made for `result`, if there is one and it still stands. */
  take(result: ExampleResult): string | undefined {
    const row = this.rows.get(keyOf(result));
    if (!row || this.fd === null || result.trace_url !== undefined) return undefined;
    this.flush();
    const buffer = Buffer.allocUnsafe(row.bytes);
    readSync(this.fd, buffer, 0, row.bytes, row.offset);
    return buffer.toString("utf8");
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
