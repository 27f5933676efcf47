/**
 * `npm run --silent match -- --pattern '<pattern>' [--json] [FILE]`: tests a CloudWatch Logs filter pattern against
 * log events offline, the counterpart of the TestMetricFilter API. Reads one event per line from FILE, or from
 * standard input when FILE is absent or `-`.
 *
 * Prints the matching lines, or with `--json` one `{"line", "matched", "fields"}` object per input line. Exit status:
 * 0 when at least one event matched, 1 when none did, 2 for an invalid pattern or bad usage.
 */
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { FilterPatternError, parseFilterPattern, type CompiledFilterPattern } from "../lib/filter-pattern";
import { parseArgs, readCommandLine } from "../lib/cli/args";
import { reportError, UsageError } from "../lib/cli/errors";

const USAGE = `Usage: npm run --silent match -- --pattern '<filter pattern>' [--json] [FILE]

Tests a CloudWatch Logs filter pattern against log events offline, like the TestMetricFilter API.
Reads one log event per line from FILE, or from standard input when FILE is absent or '-'.

Options:
  --pattern <p>   the filter pattern (required; '' matches every event)
  --json          print {"line": n, "matched": bool, "fields": {...}} for every input line
                  instead of the matching lines
  --help          print this help

Exit status: 0 when at least one event matched, 1 when none did, 2 for an invalid pattern or bad usage.`;

const EXIT_MATCHED = 0;
const EXIT_NO_MATCH = 1;
const EXIT_ERROR = 2;
/** Output is written in chunks of about this many characters: one write per line is slow on large inputs. */
const FLUSH_CHARS = 64 * 1024;

interface Options {
  readonly pattern: string;
  readonly json: boolean;
  /** The input file; undefined for standard input. */
  readonly file: string | undefined;
}

/** Parses the arguments with the shared parser (lib/cli/args.ts); returns "help" for --help. */
function parseArguments(args: readonly string[]): Options | "help" {
  const parsed = parseArgs(args, { options: { "--pattern": "value", "--json": "flag" }, positionals: { max: 1, name: "FILE" } });
  if (parsed.help) return "help";
  const pattern = parsed.values.get("--pattern");
  if (pattern === undefined) throw new UsageError("--pattern is required");
  const file = parsed.positionals[0];
  return { pattern, json: parsed.flags.has("--json"), file: file === "-" ? undefined : file };
}

/** Applies the pattern to every line of the input and writes the report; resolves to true when anything matched. */
async function run(compiled: CompiledFilterPattern, input: Readable, json: boolean): Promise<boolean> {
  let anyMatched = false;
  let lineNumber = 0;
  let buffer = "";
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNumber++;
    if (json) {
      const { matched, fields } = compiled.extract(line);
      anyMatched ||= matched;
      buffer += `${JSON.stringify({ line: lineNumber, matched, fields })}\n`;
    } else if (compiled.matches(line)) {
      anyMatched = true;
      buffer += `${line}\n`;
    }
    if (buffer.length >= FLUSH_CHARS) {
      process.stdout.write(buffer);
      buffer = "";
    }
  }
  process.stdout.write(buffer);
  return anyMatched;
}

function openInput(file: string | undefined): Promise<Readable> {
  if (file === undefined) return Promise.resolve(process.stdin);
  // A folder opens without error and fails only on the first read, with no path in the message: say so first.
  if (statSync(file).isDirectory()) {
    return Promise.reject(Object.assign(new Error(`EISDIR: ${file}`), { code: "EISDIR", path: file }));
  }
  // Open eagerly so that a missing or unreadable file is reported as such, before any output.
  const stream = createReadStream(file);
  return new Promise((resolve, reject) => {
    stream.once("open", () => resolve(stream));
    stream.once("error", reject);
  });
}

async function main(args: readonly string[]): Promise<number> {
  const options = readCommandLine("match", USAGE, () => parseArguments(args));
  if (typeof options === "number") return options;
  let compiled: CompiledFilterPattern;
  try {
    compiled = parseFilterPattern(options.pattern);
  } catch (error) {
    if (!(error instanceof FilterPatternError)) throw error;
    // Trailing spaces of the quoted pattern are invisible and lost in copies; the caret below still points right.
    const message = error.message.split("\n").map((line) => line.trimEnd()).join("\n");
    process.stderr.write(`match: invalid filter pattern: ${message}\n`);
    return EXIT_ERROR;
  }
  // A file that cannot be read: one line naming it, exit 2 (lib/cli/errors.ts).
  const input = await openInput(options.file);
  return (await run(compiled, input, options.json)) ? EXIT_MATCHED : EXIT_NO_MATCH;
}

// A reader that stops early (`| head`) closes the pipe; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? EXIT_MATCHED);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.exitCode = reportError("match", error, { stderr: (text) => process.stderr.write(text) });
  }
);
