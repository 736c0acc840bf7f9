import { describe, expect, it } from "vitest";
import { nearestWord } from "./nearest-word.ts";

describe("nearestWord", () => {
  it("takes the closest known word, a swapped pair included, and breaks ties by the longer shared prefix", () => {
    expect(nearestWord("lsit", ["run", "list", "init"])).toBe("list");
    expect(nearestWord("must_contian", ["must_contain", "must_not_contain"])).toBe("must_contain");
    // "tool" is one edit from both; "tools" shares more of its start.
    expect(nearestWord("toolz", ["tools", "tolz"])).toBe("tools");
  });

  it("guesses nothing when no word is close enough to be a typo, or the word is itself known", () => {
    expect(nearestWord("deploy", ["run", "list", "init", "upload", "merge", "compare"])).toBeNull();
    expect(nearestWord("list", ["list"])).toBeNull();
    expect(nearestWord("x", [])).toBeNull();
  });
});
