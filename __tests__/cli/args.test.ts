import { parseArgs, readCommandLine, reportUsageError } from "../../lib/cli/args";
import { UsageError } from "../../lib/cli/errors";

/** The command line of a tool like `npm run incidents`: two options with a value, a flag, one positional. */
const SPEC = { options: { "--since": "value", "--limit": "value", "--json": "flag" }, positionals: { max: 1, name: "FILE" } } as const;

/** The message of the UsageError `act` throws, or "no error". */
function refusal(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return "no error";
}

describe("parseArgs, the one parser of every tool", () => {
  it("reads --name value, --name=value, flags and a positional", () => {
    // Act
    const parsed = parseArgs(["--since", "1h", "--limit=5", "--json", "app.log"], SPEC);
    // Assess
    expect(parsed).toEqual({
      help: false,
      values: new Map([
        ["--since", "1h"],
        ["--limit", "5"],
      ]),
      flags: new Set(["--json"]),
      positionals: ["app.log"],
    });
  });

  it("lets --help and -h win over anything else, even a mistake", () => {
    expect(parseArgs(["--bogus", "--help"], SPEC).help).toBe(true);
    expect(parseArgs(["--since", "1h", "--since", "2h", "-h"], SPEC).help).toBe(true);
    // After `--`, --help is an argument like any other.
    expect(parseArgs(["--", "--help"], SPEC)).toMatchObject({ help: false, positionals: ["--help"] });
  });

  it.each([
    [["--bogus"], 'unknown argument "--bogus"'],
    [["-5"], 'unknown argument "-5"'],
    [["--bogus=1"], 'unknown argument "--bogus"'],
    [["--since", "1h", "--since=2h"], '--since given twice ("1h" and "2h"): give it once'],
    [["--since"], "--since needs a value"],
    [["--json=yes"], "--json takes no value"],
    [["a.log", "b.log"], 'only one FILE can be given, not also "b.log"'],
  ])("refuses %j with one line: %s", (args, message) => {
    expect(refusal(() => parseArgs(args, SPEC))).toBe(message);
  });

  it("refuses any positional argument from a tool that takes none", () => {
    expect(refusal(() => parseArgs(["extra"], { options: {} }))).toBe('unknown argument "extra"');
  });

  it("takes a value that starts with a dash as the value (a filter pattern's -term), and `-` as a positional", () => {
    expect(parseArgs(["--since", "-ERROR", "-"], SPEC)).toMatchObject({ values: new Map([["--since", "-ERROR"]]), positionals: ["-"] });
    expect(parseArgs(["--", "-5"], SPEC).positionals).toEqual(["-5"]);
  });

  it("accepts a flag given twice (it says the same thing), and an empty value for the tool to judge", () => {
    expect(parseArgs(["--json", "--json", "--since="], SPEC)).toMatchObject({ flags: new Set(["--json"]), values: new Map([["--since", ""]]) });
  });

  it("lets the first positional end the options for a tool that runs a command (optionsEndAtFirstPositional)", () => {
    const spec = { options: { "--cpus": "value" }, positionals: { max: 100, name: "argument" }, optionsEndAtFirstPositional: true } as const;
    expect(parseArgs(["--cpus", "2", "npm", "test", "--", "--bogus", "-5"], spec)).toMatchObject({
      values: new Map([["--cpus", "2"]]),
      positionals: ["npm", "test", "--", "--bogus", "-5"],
    });
    // Without it, an option after a positional is still the tool's (and refused when unknown).
    expect(refusal(() => parseArgs(["npm", "--bogus"], { ...spec, optionsEndAtFirstPositional: false }))).toBe('unknown argument "--bogus"');
  });

  it("does not take an inherited property of an object for an option", () => {
    expect(refusal(() => parseArgs(["--toString"], SPEC))).toBe('unknown argument "--toString"');
    expect(refusal(() => parseArgs(["constructor"], { options: {} }))).toBe('unknown argument "constructor"');
  });
});

describe("reportUsageError", () => {
  it("writes one line, <tool>: <problem>, and returns 2", () => {
    const written: string[] = [];
    expect(reportUsageError("incidents", new UsageError('unknown argument "--last"'), (text) => written.push(text))).toBe(2);
    expect(written).toEqual(['incidents: unknown argument "--last"\n']);
  });
});

describe("readCommandLine, the start of every tool", () => {
  /** A tool's parser: "help" for --help, the options otherwise, a UsageError for a bad --limit. */
  const parse = (args: readonly string[]): { readonly limit: number } | "help" => {
    const parsed = parseArgs(args, SPEC);
    if (parsed.help) return "help";
    const limit = parsed.values.get("--limit") ?? "10";
    if (!/^\d+$/.test(limit)) throw new UsageError(`--limit takes a whole number, not ${JSON.stringify(limit)}`);
    return { limit: Number(limit) };
  };
  const run = <T extends object>(act: () => T | "help"): { result: unknown; stdout: string; stderr: string } => {
    const output = { stdout: "", stderr: "" };
    const result = readCommandLine("tool", "Usage: npm run tool -- [--limit N]", act, {
      stdout: (text) => (output.stdout += text),
      stderr: (text) => (output.stderr += text),
    });
    return { result, ...output };
  };

  it("returns the options, writing nothing", () => {
    expect(run(() => parse(["--limit", "5"]))).toEqual({ result: { limit: 5 }, stdout: "", stderr: "" });
  });

  it("answers --help with the usage and a newline on stdout, and 0, whether the parser says \"help\" or help: true", () => {
    const help = { result: 0, stdout: "Usage: npm run tool -- [--limit N]\n", stderr: "" };
    expect(run(() => parse(["--limit", "x", "--help"]))).toEqual(help);
    expect(run(() => ({ help: true }))).toEqual(help);
    expect(run(() => ({ help: false, limit: 1 }))).toEqual({ result: { help: false, limit: 1 }, stdout: "", stderr: "" });
  });

  it("answers a usage error with one line on stderr and 2", () => {
    expect(run(() => parse(["--limit", "x"]))).toEqual({ result: 2, stdout: "", stderr: 'tool: --limit takes a whole number, not "x"\n' });
    expect(run(() => parse(["--bogus"]))).toEqual({ result: 2, stdout: "", stderr: 'tool: unknown argument "--bogus"\n' });
  });

  it("throws on any other error: it is not the user's", () => {
    expect(() =>
      run(() => {
        throw new TypeError("a bug");
      }),
    ).toThrow(TypeError);
  });
});
