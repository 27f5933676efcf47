/**
 * Every command-line tool follows the same conventions (lib/cli/args.ts), checked on every tool package.json
 * declares, found rather than listed, so that a tool added later is checked too:
 * `--help` prints the usage on stdout and exits 0 doing nothing else; an unknown option, and an option that takes
 * one value given twice, exit 2 with exactly one line on stderr naming it.
 */
import { NpmTool, projectTools, runTool, toolsOf, valueOptionsOf } from "../support/npm-tools";

const TOOLS = projectTools();

describe("the tools, as package.json declares them", () => {
  it("are found from the scripts that run a file of scripts/, and only those", () => {
    // Assess: the finder takes tool scripts and leaves others (the fixture can fail both ways).
    expect(
      toolsOf({
        synth: "CHECKPOINT_DISABLE=1 cdktf synth",
        test: "tsc --noEmit && jest",
        match: "node -r ./scripts/esbuild-register.js scripts/match.ts",
        "bench:quiet": "node -r ./scripts/esbuild-register.js scripts/bench-quiet-sweep.ts",
      }),
    ).toEqual([
      { name: "match", script: "scripts/match.ts" },
      { name: "bench:quiet", script: "scripts/bench-quiet-sweep.ts" },
    ]);
    expect(TOOLS.map((tool) => tool.name)).toEqual(expect.arrayContaining(["incidents", "simulate", "authz", "bench", "bench:quiet", "match", "export:hcl"]));
  });

  it("reads the options that take a value from a usage line", () => {
    expect(valueOptionsOf("Usage: npm run x -- [--since 1h] [--log-group NAME] [--groups] [--pattern '<p>'] [--json]\n  mute --for 4h")).toEqual([
      "--since",
      "--log-group",
      "--pattern",
    ]);
  });
});

// Concurrently: each run waits on its own Node.js process.
describe.each(TOOLS.map((tool) => [tool.name, tool] as const))("npm run %s", (name: string, tool: NpmTool) => {
  it.concurrent("answers --help with its usage on stdout and exit 0", async () => {
    const run = await runTool(tool, ["--help"]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^Usage: npm run (--silent )?${name.replace(/[:.]/g, "\\$&")}( |\\n|$)`));
  }, 60_000);

  it.concurrent("refuses an unknown option with exit 2 and one line naming it", async () => {
    const run = await runTool(tool, ["--no-such-flag"]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `${name}: unknown argument "--no-such-flag"\n` });
  }, 60_000);

  it.concurrent("refuses a negative number where no option is expected (-5) with exit 2", async () => {
    const run = await runTool(tool, ["-5"]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `${name}: unknown argument "-5"\n` });
  }, 60_000);

  it.concurrent("refuses every option that takes one value when it is given twice, with exit 2 and one line", async () => {
    const usage = (await runTool(tool, ["--help"])).stdout;
    for (const option of valueOptionsOf(usage)) {
      const run = await runTool(tool, [option, "first", `${option}=second`]);
      expect({ option, run }).toEqual({
        option,
        run: { status: 2, stdout: "", stderr: `${name}: ${option} given twice ("first" and "second"): give it once\n` },
      });
    }
  }, 120_000);
});
