/**
 * Every command-line tool follows the same conventions (lib/cli/args.ts), checked on every tool package.json
 * declares, found rather than listed, so that a tool added later is checked too:
 * `--help` prints the usage on stdout and exits 0 doing nothing else, and every flag it shows is documented in the
 * README or docs/; an unknown option, and an option that takes one value given twice, exit 2 with exactly one line
 * on stderr naming it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { NpmTool, PROJECT_ROOT, projectTools, runTool, ToolRun, toolsOf, valueOptionsOf } from "../support/npm-tools";

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

/** Each tool's `--help` run, made once and shared by the checks that read it. */
const helpRuns = new Map<string, Promise<ToolRun>>();
const helpOf = (tool: NpmTool): Promise<ToolRun> => {
  const run = helpRuns.get(tool.name) ?? runTool(tool, ["--help"]);
  helpRuns.set(tool.name, run);
  return run;
};
const DOCUMENTATION = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)]
  .map((file) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"))
  .join("\n");

// Concurrently: each run waits on its own Node.js process. Three runs a tool: --help, an unknown option, and a
// repeated one (how the shared parser treats `-5`, `--`, flags given a value, ... is unit-tested in
// __tests__/cli/args.test.ts; these runs prove that each tool goes through it).
describe.each(TOOLS.map((tool) => [tool.name, tool] as const))("npm run %s", (name: string, tool: NpmTool) => {
  it.concurrent("answers --help with its usage on stdout and exit 0, leaving no file behind, every flag documented", async () => {
    // What other tests running at the same time write (synth output, build caches) is not a side effect of --help.
    const entries = (): string[] => fs.readdirSync(PROJECT_ROOT).filter((entry) => entry !== "cdktf.out" && entry !== ".build").sort();
    const before = entries();
    const run = await helpOf(tool);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^Usage: npm run (--silent )?${name.replace(/[:.]/g, "\\$&")}( |\\n|$)`));
    // No side effect: no file left behind (pr-diff used to write one named --help).
    expect(entries()).toEqual(before);
    const flags = [...new Set(run.stdout.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [])].filter((flag) => flag !== "--help" && flag !== "--silent");
    expect(flags.filter((flag) => !DOCUMENTATION.includes(flag))).toEqual([]);
  }, 60_000);

  it.concurrent("refuses an unknown option with exit 2 and one line naming it", async () => {
    const run = await runTool(tool, ["--no-such-flag"]);
    expect(run).toEqual({ status: 2, stdout: "", stderr: `${name}: unknown argument "--no-such-flag"\n` });
  }, 60_000);

  it.concurrent("refuses an option that takes one value when it is given twice, with exit 2 and one line", async () => {
    const [option] = valueOptionsOf((await helpOf(tool)).stdout);
    if (option === undefined) return; // This tool's usage line has no option with a value.
    const run = await runTool(tool, [option, "first", `${option}=second`]);
    expect({ option, run }).toEqual({
      option,
      run: { status: 2, stdout: "", stderr: `${name}: ${option} given twice ("first" and "second"): give it once\n` },
    });
  }, 120_000);
});
