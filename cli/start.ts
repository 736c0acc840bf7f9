import { unlinkSync } from "node:fs";
import { temporaryRecordingFiles } from "../runner/recording-store.ts";
import { howInvoked } from "./invocation.ts";
import { main } from "./main.ts";

// Replay must be hermetic: LangChain would otherwise trace every LLM call to LangSmith on its own
// when these are set. Uploads go through evalgate's exporter, explicitly, and nowhere else. They
// are removed, not set to "false": LangChain reads any value of LANGCHAIN_TRACING (even "false")
// as a reason to build a callback manager for every call, which serialised the model and drew a
// uuid each time for no handler at all.
for (const name of ["LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"]) delete process.env[name];

// How the user ran us, for the commands hints print.
const command = howInvoked(process.env, process.argv[1] ?? "cli/bin.ts", process.cwd());

// Ctrl-C or a CI cancel mid-record: no half-written temporary file stays in datasets/, and the
// exit handlers release the out-dir lock. (SIGKILL cannot be caught: the next run cleans up.)
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => {
    for (const file of temporaryRecordingFiles()) {
      try {
        unlinkSync(file);
      } catch {
        // Renamed into place or already gone.
      }
    }
    process.stderr.write(`evalgate: interrupted by ${signal}; examples that finished are in events.jsonl\n`);
    process.exit(code);
  });
}

main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, command }).then(
  (code) => {
    // Exit now: a hung agent's timers or an SDK's retry timer must not keep a finished gate alive.
    process.exit(code);
  },
  (error: unknown) => {
    // Only evalgate's own bugs reach here: user mistakes are reported as problems with exit 2.
    process.stderr.write(`evalgate: internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
