import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { EXIT_USAGE, parseSimulateArgs, runSimulateCommand, SIMULATE_USAGE, UsageError } from "../../lib/simulate/cli";

describe("parseSimulateArgs", () => {
  it("defaults to 3 errors over 5 minutes", () => {
    expect(parseSimulateArgs([])).toEqual({ errors: 3, minutes: 5, json: false, help: false });
  });

  it("reads --errors and --minutes, as separate words or with =", () => {
    expect(parseSimulateArgs(["--errors", "0", "--minutes=30"])).toEqual({ errors: 0, minutes: 30, json: false, help: false });
    expect(parseSimulateArgs(["--errors=1000", "--minutes", "1440"])).toEqual({ errors: 1000, minutes: 1440, json: false, help: false });
  });

  it("reads --resolve-after, a minute after the first and before the end of the simulation", () => {
    expect(parseSimulateArgs(["--minutes", "5", "--resolve-after", "2"])).toEqual({ errors: 3, minutes: 5, resolveAfter: 2, json: false, help: false });
    expect(parseSimulateArgs(["--resolve-after=1", "--minutes=2"])).toEqual({ errors: 3, minutes: 2, resolveAfter: 1, json: false, help: false });
    expect(parseSimulateArgs(["--resolve-after", "4"])).toMatchObject({ minutes: 5, resolveAfter: 4 });
  });

  it("rejects values out of range or not whole numbers, naming the option and the value", () => {
    const cases: [string[], string][] = [
      [["--errors", "-1"], '--errors takes a whole number from 0 to 1000, not "-1"'],
      [["--errors", "1001"], '--errors takes a whole number from 0 to 1000, not "1001"'],
      [["--minutes", "0"], '--minutes takes a whole number from 1 to 1440, not "0"'],
      [["--minutes", "2.5"], '--minutes takes a whole number from 1 to 1440, not "2.5"'],
      [["--minutes"], "--minutes needs a value"],
      [["--verbose"], 'unknown argument "--verbose"'],
      [["--minutes", "5", "--minutes=10"], '--minutes given twice ("5" and "10"): give it once'],
      [["--json=yes"], "--json takes no value"],
      [["--resolve-after", "0"], '--resolve-after takes a whole number from 1 to 4 (a minute before the end of --minutes 5), not "0"'],
      [["--minutes", "5", "--resolve-after", "5"], '--resolve-after takes a whole number from 1 to 4 (a minute before the end of --minutes 5), not "5"'],
      [["--minutes", "30", "--resolve-after", "2.5"], '--resolve-after takes a whole number from 1 to 29 (a minute before the end of --minutes 30), not "2.5"'],
      [["--minutes", "1", "--resolve-after", "1"], "--resolve-after needs a simulation of 2 minutes or more (--minutes 1), so that something comes after it"],
      [["--resolve-after", "2", "--resolve-after=3"], '--resolve-after given twice ("2" and "3"): give it once'],
      [["--resolve-after"], "--resolve-after needs a value"],
    ];
    for (const [args, message] of cases) {
      expect({ args, error: attempt(() => parseSimulateArgs(args)) }).toEqual({ args, error: new UsageError(message) });
    }
  });
});

describe("runSimulateCommand", () => {
  it("exits 2 with one line on bad arguments, without simulating anything", async () => {
    // Prepare
    const stderr: string[] = [];
    // Act
    const status = await runSimulateCommand(["--minutes", "0"], {
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
      env: {},
      projectRoot: PROJECT_ROOT,
    });
    // Assess
    expect(status).toBe(EXIT_USAGE);
    expect(stderr.join("")).toBe(`simulate: --minutes takes a whole number from 1 to 1440, not "0"\n`);
  });

  it("refuses --resolve-after 0, --resolve-after 5 with --minutes 5, and a repeated --resolve-after: exit 2, one line, nothing simulated", async () => {
    const cases: [string[], string][] = [
      [["--resolve-after", "0"], 'simulate: --resolve-after takes a whole number from 1 to 4 (a minute before the end of --minutes 5), not "0"\n'],
      [["--minutes", "5", "--resolve-after", "5"], 'simulate: --resolve-after takes a whole number from 1 to 4 (a minute before the end of --minutes 5), not "5"\n'],
      [["--resolve-after", "2", "--minutes", "5", "--resolve-after", "3"], 'simulate: --resolve-after given twice ("2" and "3"): give it once\n'],
    ];
    for (const [args, line] of cases) {
      // Prepare: a synthesis that fails the test if anything is simulated.
      const stdout: string[] = [];
      const stderr: string[] = [];
      // Act
      const status = await runSimulateCommand(args, {
        stdout: (text) => stdout.push(text),
        stderr: (text) => stderr.push(text),
        env: {},
        projectRoot: PROJECT_ROOT,
        synthesize: () => {
          throw new Error(`simulated ${args.join(" ")}`);
        },
      });
      // Assess
      expect({ args, status, stdout: stdout.join(""), stderr: stderr.join("") }).toEqual({ args, status: EXIT_USAGE, stdout: "", stderr: line });
    }
  });

  it("prints the usage for --help and exits 0", async () => {
    const stdout: string[] = [];
    const status = await runSimulateCommand(["--help"], { stdout: (text) => stdout.push(text), stderr: () => undefined, env: {}, projectRoot: PROJECT_ROOT });
    expect({ status, stdout: stdout.join("") }).toEqual({ status: 0, stdout: `${SIMULATE_USAGE}\n` });
  });
});

function attempt(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
