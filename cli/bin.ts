#!/usr/bin/env node
import module from "node:module";
import v8 from "node:v8";

// Node keeps the compiled code of every module it loads (evalgate's, zod, LangChain, the user's
// agents) on disk and reuses it on the next run: start-up is mostly compiling those modules.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=<dir> moves it.
module.enableCompileCache?.();

// A run makes garbage fast and keeps little of it (each example's result, once). V8 then lets each
// heap grow to up to four times what survives its last full collection before it collects again:
// 10,000 three-call replays peaked at 700 MB of which the heaps held 200 MB alive. Growing by 60 %
// instead peaked at 430 MB in the same wall time (bench/scale-bench.ts). The flag is read at every
// collection, so it serves every thread started after this line; a value given to node wins.
const HEAP_GROWING_PERCENT = 60;
if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent") || arg.startsWith("--heap_growing_percent"))) {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

await import("./start.ts");
