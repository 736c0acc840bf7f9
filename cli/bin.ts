#!/usr/bin/env node
import module from "node:module";

// Node keeps the compiled code of every module it loads (evalgate's, zod, LangChain, the user's
// agents) on disk and reuses it on the next run: start-up is mostly compiling those modules.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=<dir> moves it.
module.enableCompileCache?.();

await import("./start.ts");
