import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "./args.ts";

const run = (...argv: string[]) => {
  const command = parseCommand(argv);
  if (command.kind !== "run") throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
};

describe("trials and judge flags", () => {
  it("parses --trials, --baseline and --judge-only into the run's options", () => {
    expect(run("--live", "--trials", "10", "--baseline", ".evalgate/base")).toMatchObject({ mode: "live", trials: 10, baseline: ".evalgate/base" });
    expect(run("--record", "--judge-only", "-e", "late")).toMatchObject({ mode: "record", judgeOnly: true });
    expect(run("--trials", "3")).toMatchObject({ mode: "replay", trials: 3 });
  });

  it("refuses the combinations that would not mean what they say", () => {
    expect(() => parseCommand(["--judge-only"])).toThrow(/--judge-only goes with --record/);
    expect(() => parseCommand(["--record", "--judge-only", "--stale"])).toThrow(/drop --stale/);
    expect(() => parseCommand(["--record", "--trials", "5", "--stale"])).toThrow(/--trials records every trial afresh/);
    expect(() => parseCommand(["--replies", "--trials", "5"])).toThrow(/scripted replies answer every trial the same/);
    expect(() => parseCommand(["--record", "--baseline", "x"])).toThrow(/nothing to compare yet/);
    expect(() => parseCommand(["--trials", "0"])).toThrow(UsageError);
    expect(() => parseCommand(["--trials", "1001"])).toThrow(/at most 1000/);
  });

  it("names the option or command a typo most likely meant, and only a close one", () => {
    expect(() => parseCommand(["--wrokers", "2"])).toThrow("unknown option --wrokers (did you mean --workers?)");
  });

  it("--workers takes auto, 0 or a count, and says so when it gets anything else", () => {
    const workers = (text: string) => (parseCommand(["--workers", text]) as { options: { workers?: unknown } }).options.workers;
    expect(workers("auto")).toBe("auto");
    expect(workers("0")).toBe(0);
    expect(workers("3")).toBe(3);
    for (const bad of ["foo", "1.5", ""]) expect(() => parseCommand(["--workers", bad])).toThrow(`--workers takes auto, 0 (the main thread only) or a number of threads up to 64 (got "${bad}")`);
    expect(() => parseCommand(["--workers", "65"])).toThrow("--workers takes at most 64");
    expect(() => parseCommand(["--recrod"])).toThrow("unknown option --recrod (did you mean --record?)");
    expect(() => parseCommand(["--dataset-verison=2"])).toThrow("unknown option --dataset-verison (did you mean --dataset-version?)");
    expect(() => parseCommand(["lsit"])).toThrow('unknown command "lsit" (did you mean "list"?) (commands: run, list, init, upload, merge, compare)');
    // Nothing close: Node's own explanation stands, with no guess.
    expect(() => parseCommand(["--frobnicate"])).toThrow(/^Unknown option '--frobnicate'/);
    expect(() => parseCommand(["deploy"])).toThrow('unknown command "deploy" (commands: run, list, init, upload, merge, compare)');
  });
});
