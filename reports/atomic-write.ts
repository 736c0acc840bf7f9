import { randomBytes } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

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
 * descriptor, so the whole text never has to exist as one string. A piece that throws (a report
 * that fails its schema) leaves nothing behind.
 */
export async function writeChunksAtomic(target: string, chunks: Iterable<string>): Promise<string> {
  const directory = path.dirname(target);
  await mkdir(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    let pending = "";
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= 1 << 20) {
        writeSync(fd, pending);
        pending = "";
      }
    }
    if (pending) writeSync(fd, pending);
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
