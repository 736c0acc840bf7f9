import { describe, expect, it } from "vitest";
import { fisherDropPValue, passAtK, passPowK, trialsToDetect, wilsonInterval } from "./stats.ts";

describe("trial statistics", () => {
  it("Wilson interval matches published values and stays inside [0, 1]", () => {
    // Newcombe (1998), table I: 81/263 → 0.2553–0.3662 at 95 %.
    const i = wilsonInterval(81, 263, 0.95);
    expect(i.low).toBeCloseTo(0.2553, 3);
    expect(i.high).toBeCloseTo(0.3662, 3);
    expect(wilsonInterval(10, 10, 0.95)).toEqual({ low: expect.closeTo(0.7225, 3), high: 1 });
    expect(wilsonInterval(0, 10, 0.95)).toEqual({ low: 0, high: expect.closeTo(0.2775, 3) });
    expect(wilsonInterval(5, 10, 0.99).high - wilsonInterval(5, 10, 0.99).low).toBeGreaterThan(wilsonInterval(5, 10, 0.95).high - wilsonInterval(5, 10, 0.95).low);
  });

  it("pass@k and pass^k are the unbiased estimators, agreeing with the binomial formulas", () => {
    // n=10, c=3, k=2: 1 − C(7,2)/C(10,2) = 1 − 21/45; C(3,2)/C(10,2) = 3/45.
    expect(passAtK(10, 3, 2)).toBeCloseTo(1 - 21 / 45, 12);
    expect(passPowK(10, 3, 2)).toBeCloseTo(3 / 45, 12);
    expect(passAtK(10, 0, 3)).toBe(0);
    expect(passAtK(10, 8, 3)).toBe(1);
    expect(passPowK(10, 10, 10)).toBe(1);
    expect(passPowK(10, 9, 10)).toBe(0);
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
  });

  it("Fisher's one-sided test agrees with the textbook table and only counts drops", () => {
    // Lady tasting tea: 3 of 4 right in each half, one-sided p = 17/70.
    expect(fisherDropPValue({ passes: 3, trials: 4 }, { passes: 1, trials: 4 })).toBeCloseTo(17 / 70, 10);
    expect(fisherDropPValue({ passes: 9, trials: 10 }, { passes: 2, trials: 10 })).toBeLessThan(0.01);
    expect(fisherDropPValue({ passes: 9, trials: 10 }, { passes: 8, trials: 10 })).toBeGreaterThan(0.4);
    expect(fisherDropPValue({ passes: 2, trials: 10 }, { passes: 9, trials: 10 })).toBeGreaterThan(0.99);
    expect(fisherDropPValue({ passes: 10, trials: 10 }, { passes: 10, trials: 10 })).toBe(1);
  });

  it("says how many trials would tell 90 % from 80 %, and none for an improvement", () => {
    const n = trialsToDetect(0.9, 0.8, 0.05, 10)!;
    expect(n).toBeGreaterThan(50);
    expect(fisherDropPValue({ passes: Math.round(0.9 * n), trials: n }, { passes: Math.round(0.8 * n), trials: n })).toBeLessThan(0.05);
    expect(trialsToDetect(0.8, 0.9, 0.05, 10)).toBeNull();
    expect(trialsToDetect(0.9, 0.2, 0.05, 1)).toBeLessThanOrEqual(10);
  });
});
