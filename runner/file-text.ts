import { readFileSync } from "node:fs";

/**
 * Reading a file a user points evalgate at (a dataset, a recording, a shard log) as text, with
 * every way it can go wrong turned into a sentence: not a file, a symlink loop, unreadable, too
 * large, not UTF-8. A byte-order mark is dropped: editors on Windows add one, and it means nothing.
 */

export type FileText =
  | { ok: true; text: string }
  | { ok: false; missing: boolean; message: string; line?: number; column?: number };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export async function readUserFile(path: string, maxBytes: number): Promise<FileText> {
  return readUserFileSync(path, maxBytes);
}

/**
 * The same, synchronously: a replay reads one small recording per example, and fs/promises'
 * open/fstat/read/close round trips through the thread pool cost more than the read itself
 * (1.1 s of 12 s for 5,000 recordings in the peer benchmark's profile).
 */
export function readUserFileSync(path: string, maxBytes: number): FileText {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT", message: describeReadError(code, error) };
  }
  if (bytes.length > maxBytes) {
    return { ok: false, missing: false, message: `is ${formatMiB(bytes.length)}; evalgate reads files of at most ${formatMiB(maxBytes)}` };
  }
  return decodeText(bytes);
}

export function decodeText(bytes: Uint8Array): FileText {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = lineColumnOfByte(bytes, offset);
    return { ok: false, missing: false, message: `is not valid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, "0")} at offset ${offset}); save it as UTF-8`, line, column };
  }
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function describeReadError(code: string | undefined, error: unknown): string {
  switch (code) {
    case "EISDIR":
      return "is a directory, not a file";
    case "ELOOP":
      return "is a symbolic link that loops";
    case "EACCES":
    case "EPERM":
      return "cannot be read (permission denied)";
    case "ENOENT":
      return "does not exist";
    default:
      return `cannot be read (${code ?? (error as Error).message})`;
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Only called once decoding failed, so the slow byte walk never runs on a good file. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong forms and surrogates are invalid too.
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function lineColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** 1-based line and column of a character offset in a text. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
