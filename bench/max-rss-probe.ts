import { writeFileSync } from "node:fs";

/**
 * Preloaded into the CLI by the scale benchmark (`node --import`): writes the process's peak
 * resident set size (kB, every thread included: they share it) to $EVALGATE_BENCH_RSS_FILE at exit.
 */
const file = process.env.EVALGATE_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
