import { randomBytes } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RowSpool, SpooledRow } from "./row-spool.ts";

/**
 * Writes through a temporary file in the same directory and renames it into place, so a
 * reader (a CI upload step, a merge of shard reports) never sees a half-written file.
 */
export async function writeFileAtomic(target: string, contents: string): Promise<string> {
  const directory = path.dirname(target);
  await mkdir(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, contents, "utf8");
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return target;
}

/**
 * The same for a file produced in pieces (a large report): written piece by piece through one
 * descriptor, so the whole text never has to exist as one string. A piece is text, or a row kept in
 * a RowSpool, copied as bytes; rows that lie one after another there are copied as one stretch. A
 * piece that throws (a report that fails its schema) leaves nothing behind.
 */
export async function writeChunksAtomic(target: string, chunks: Iterable<string | SpooledRow>): Promise<string> {
  const directory = path.dirname(target);
  await mkdir(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    let pending = "";
    let stretch: { spool: RowSpool; offset: number; bytes: number } | null = null;
    let buffer: Buffer | null = null;
    const writeText = () => {
      if (pending) writeSync(fd, pending);
      pending = "";
    };
    const copyStretch = () => {
      if (!stretch) return;
      buffer ??= Buffer.allocUnsafe(COPY_BYTES);
      for (let done = 0; done < stretch.bytes; ) {
        const n = Math.min(COPY_BYTES, stretch.bytes - done);
        stretch.spool.read(buffer, stretch.offset + done, n);
        writeAll(fd, buffer, n);
        done += n;
      }
      stretch = null;
    };
    for (const chunk of chunks) {
      if (typeof chunk === "string") {
        copyStretch();
        pending += chunk;
        if (pending.length >= COPY_BYTES) writeText();
        continue;
      }
      if (stretch && stretch.spool === chunk.spool && stretch.offset + stretch.bytes === chunk.offset) {
        stretch.bytes += chunk.bytes;
        continue;
      }
      writeText();
      copyStretch();
      stretch = { spool: chunk.spool, offset: chunk.offset, bytes: chunk.bytes };
    }
    copyStretch();
    writeText();
    closeSync(fd);
    await rename(temporary, target);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    await rm(temporary, { force: true });
    throw error;
  }
  return target;
}

const COPY_BYTES = 1 << 20;

function writeAll(fd: number, buffer: Buffer, bytes: number): void {
  for (let done = 0; done < bytes; ) done += writeSync(fd, buffer, done, bytes - done);
}
