import { lazily } from "../../core/lazy-module.ts";

// Loaded by runs that have trials (about 50 ms of start-up for every other run).
const hypergeometricCdf = lazily<typeof import("@stdlib/stats-base-dists-hypergeometric-cdf")>("@stdlib/stats-base-dists-hypergeometric-cdf");
const normalQuantile = lazily<typeof import("@stdlib/stats-base-dists-normal-quantile")>("@stdlib/stats-base-dists-normal-quantile");

/**
 * The statistics of repeated trials: how sure a pass count out of k is, and whether a drop against
 * a baseline is more than chance. Pure functions; the distributions come from stdlib.
 */

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927): unlike the normal approximation
 * it stays inside [0, 1] and is honest at 0/k and k/k, the counts small trial runs produce most.
 */
export function wilsonInterval(passes: number, trials: number, confidence: number): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const z = normalQuantile()(1 - (1 - confidence) / 2, 0, 1);
  const p = passes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At 0/k and k/k the bound is exactly 0 or 1; floating point would leave 1e-17 there.
  return { low: passes === 0 ? 0 : Math.max(0, center - half), high: passes === trials ? 1 : Math.min(1, center + half) };
}

/**
 * pass@k: the chance that at least one of k attempts passes, estimated without bias from c passes
 * in n trials (Chen et al. 2021): 1 − C(n−c, k) / C(n, k).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass@k needs k ≤ n (k=${k}, n=${n})`);
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/**
 * pass^k: the chance that all of k attempts pass (Yao et al. 2024, τ-bench), estimated from c
 * passes in n trials: C(c, k) / C(n, k).
 */
export function passPowK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass^k needs k ≤ n (k=${k}, n=${n})`);
  if (c < k) return 0;
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}

/**
 * One-sided Fisher's exact test that the head's pass rate is below the baseline's: with the
 * margins of the 2×2 table fixed, the head's pass count is hypergeometric, and the p-value is the
 * chance of a count this low or lower. Trials of the two runs are independent samples, not
 * pairs, so Fisher's test (not McNemar's) is the exact one.
 */
export function fisherDropPValue(base: { passes: number; trials: number }, head: { passes: number; trials: number }): number {
  const total = base.trials + head.trials;
  const passes = base.passes + head.passes;
  if (total === 0 || passes === 0 || passes === total) return 1;
  return Math.min(1, hypergeometricCdf()(head.passes, total, passes, head.trials));
}

/**
 * How many trials per run would make a drop of this size significant at `alpha`, if the observed
 * rates held: the smallest n (same for both runs) whose Fisher p-value falls below alpha. Null
 * when even `limit` trials would not (the rates are too close to tell apart).
 */
export function trialsToDetect(baseRate: number, headRate: number, alpha: number, from: number, limit = 2000): number | null {
  if (headRate >= baseRate) return null;
  for (let n = Math.max(1, from); n <= limit; n = n < 50 ? n + 1 : Math.ceil(n * 1.05)) {
    const p = fisherDropPValue({ passes: Math.round(baseRate * n), trials: n }, { passes: Math.round(headRate * n), trials: n });
    if (p < alpha) return n;
  }
  return null;
}
