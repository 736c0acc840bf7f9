import { describe, expect, it } from "vitest";
import { byCodeUnits } from "./order.ts";

describe("byCodeUnits", () => {
  it("orders by code units, the same under every locale", () => {
    const names = ["z", "ä", "a", "B", "lead_gen", "lead-gen", "lead", "datasets/b/v10.yaml", "datasets/b/v2.yaml"];
    expect([...names].sort(byCodeUnits)).toEqual(["B", "a", "datasets/b/v10.yaml", "datasets/b/v2.yaml", "lead", "lead-gen", "lead_gen", "z", "ä"]);
    expect(byCodeUnits("same", "same")).toBe(0);
  });
});
