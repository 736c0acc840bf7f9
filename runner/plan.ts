import type { Dataset, LocatedExample } from "../core/dataset.ts";
import { byCodeUnits } from "../core/order.ts";

export interface Filters {
  graphs: string[];
  /** Dataset versions, as numbers written in the CLI ("2"). */
  versions: string[];
  tags: string[];
  examples: string[];
}

export interface Shard {
  /** 1-based, as written on the command line (`--shard 2/4`). */
  index: number;
  total: number;
}

export interface PlannedExample {
  dataset: Dataset;
  example: LocatedExample;
}

/**
 * Selects what to run. Filters of one kind are OR-ed, kinds are AND-ed. Sharding deals examples
 * round-robin in a stable order (dataset file, then position), so shards are balanced and every
 * example lands in exactly one shard whatever the machine.
 */
export function planRun(datasets: readonly Dataset[], filters: Filters, shard: Shard | null): PlannedExample[] {
  const selected: PlannedExample[] = [];
  for (const dataset of [...datasets].sort((a, b) => byCodeUnits(a.file, b.file))) {
    if (filters.graphs.length && !filters.graphs.includes(dataset.graph)) continue;
    if (filters.versions.length && !filters.versions.includes(String(dataset.version))) continue;
    for (const example of dataset.examples) {
      if (filters.tags.length && !example.tags.some((t) => filters.tags.includes(t))) continue;
      if (filters.examples.length && !filters.examples.includes(example.id)) continue;
      selected.push({ dataset, example });
    }
  }
  return shard ? selected.filter((_, i) => i % shard.total === shard.index - 1) : selected;
}

export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const total = Number(m[2]);
  return index >= 1 && total >= 1 && index <= total ? { index, total } : null;
}
