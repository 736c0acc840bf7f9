import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExampleResult } from "../core/report.ts";

/**
 * The text a report writer makes of each example, made while the run goes on (when the main thread
 * mostly waits for the replay threads) and kept in a temporary file rather than in memory, to be
 * put in report order at the end. A row is used only for the very result object it was made from,
 * and only while that result still has no trace_url (an upload adds one after the run; that row is
 * then made again).
 */
export class RowSpool {
  private fd: number | null = null;
  private dir: string | null = null;
  private end = 0;
  private readonly rows = new Map<ExampleResult, { offset: number; bytes: number }>();

  add(result: ExampleResult, text: string): void {
    if (result.trace_url !== undefined) return;
    if (this.fd === null) {
      this.dir = mkdtempSync(join(tmpdir(), "evalgate-rows-"));
      this.fd = openSync(join(this.dir, "rows"), "w+");
      // A run that ends without its report (an exception, an exit) leaves no file behind either.
      process.once("exit", this.cleanUp);
    }
    const bytes = writeSync(this.fd, text, this.end, "utf8");
    this.rows.set(result, { offset: this.end, bytes });
    this.end += bytes;
  }

  /** The row made for `result`, if there is one and it still stands. */
  take(result: ExampleResult): string | undefined {
    const row = this.rows.get(result);
    if (!row || this.fd === null || result.trace_url !== undefined) return undefined;
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
  }
}
