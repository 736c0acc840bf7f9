import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listedRecordings, loadRecording } from "./recording-store.ts";

const root = await mkdtemp(join(tmpdir(), "evalgate-recstore-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const owner = { graph: "g", dataset_version: 1, example: "a" };

describe("listedRecordings", () => {
  it("answers from one listing of the folder, taken when it is first asked", async () => {
    const dir = join(root, "listed");
    await mkdir(dir);
    await writeFile(join(dir, "a.json"), "{}");
    const present = listedRecordings();
    expect(present(join(dir, "a.json"))).toBe(true);
    expect(present(join(dir, "b.json"))).toBe(false);
    // Written after the listing: a replay writes no recordings, so the listing is not taken again.
    await writeFile(join(dir, "b.json"), "{}");
    expect(present(join(dir, "b.json"))).toBe(false);
    expect(listedRecordings()(join(dir, "b.json"))).toBe(true);
  });

  it("a folder that does not exist holds no recordings; one it cannot list is left to the read", async () => {
    const present = listedRecordings();
    expect(present(join(root, "nowhere", "a.json"))).toBe(false);
    if (process.getuid?.() === 0) return; // root lists any folder
    const locked = join(root, "locked");
    await mkdir(locked);
    await chmod(locked, 0o000);
    expect(present(join(locked, "a.json"))).toBe(true);
    await chmod(locked, 0o755);
  });

  it("loadRecording reports a file missing from the listing as missing, without reading it", async () => {
    const dir = join(root, "load");
    await mkdir(dir);
    const present = listedRecordings();
    expect(await loadRecording(join(dir, "a.json"), owner, present)).toEqual({ kind: "missing" });
    // Not valid JSON: had it been read, it would be "invalid".
    await writeFile(join(dir, "a.json"), "not json");
    expect(await loadRecording(join(dir, "a.json"), owner, present)).toEqual({ kind: "missing" });
    expect((await loadRecording(join(dir, "a.json"), owner)).kind).toBe("invalid");
  });
});
