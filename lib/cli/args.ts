/**
 * The one command-line parser of every tool in scripts/, so that they all follow the same conventions:
 *
 * - `--help` (or `-h`) anywhere before `--` wins: the tool prints its usage and exits 0, whatever else was given;
 * - `--name value` and `--name=value` both work for an option that takes a value;
 * - an unknown option (anything starting with `-` but `-` alone) is refused: `unknown argument "--bogus"`;
 * - an option that takes one value is refused when given twice (`--since given twice ("1h" and "2h")`), instead of
 *   the last one silently winning;
 * - a flag takes no value (`--json=yes` is refused);
 * - `--` ends the options: what follows is positional even if it starts with `-`.
 *
 * Each tool then checks the values themselves (a duration, a number) and throws {@link UsageError} naming them.
 */
import { EXIT_OK, EXIT_USAGE, UsageError } from "./errors";

/** What an option takes: nothing (a flag), or one value. */
export type OptionKind = "flag" | "value";

/** The command line a tool accepts. */
export interface ArgsSpec {
  /** Every option, with its leading `--`, and what it takes. `--help` is always known. */
  readonly options: Readonly<Record<string, OptionKind>>;
  /**
   * How many positional arguments the tool takes at most, and what to call them in a message.
   * @default none
   */
  readonly positionals?: { readonly max: number; readonly name: string };
  /**
   * The first positional argument ends the options, as `--` does: for a tool that runs a command given after its own
   * options (`busy -- [--cpus N] COMMAND [ARG...]`), whose arguments are the command's, not the tool's.
   * @default false
   */
  readonly optionsEndAtFirstPositional?: boolean;
}

/** A parsed command line. */
export interface ParsedArgs {
  /** `--help` or `-h` was given: print the usage and nothing else. */
  readonly help: boolean;
  /** The value of each value option given. */
  readonly values: ReadonlyMap<string, string>;
  /** The flags given. */
  readonly flags: ReadonlySet<string>;
  /** Positional arguments, in order. */
  readonly positionals: readonly string[];
}

/** Whether `arg` is `--help` or `-h`, the two spellings of help every tool accepts. */
const isHelp = (arg: string): boolean => arg === "--help" || arg === "-h";

/**
 * Parses a command line (the arguments after `--` of `npm run <tool> --`).
 *
 * @throws UsageError for an unknown option, a repeated value option, a missing or unexpected value, or too many
 *   positional arguments; the message is one line and names the argument.
 */
export function parseArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const end = args.indexOf("--");
  if ((end === -1 ? args : args.slice(0, end)).some(isHelp)) {
    return { help: true, values: new Map(), flags: new Set(), positionals: [] };
  }
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const maxPositionals = spec.positionals?.max ?? 0;
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!optionsEnded && arg === "--") {
      optionsEnded = true;
      continue;
    }
    if (optionsEnded || !arg.startsWith("-") || arg === "-") {
      if (positionals.length >= maxPositionals) {
        throw new UsageError(
          maxPositionals === 0
            ? `unknown argument ${JSON.stringify(arg)}`
            : `only ${maxPositionals === 1 ? "one" : maxPositionals} ${spec.positionals?.name ?? "argument"} can be given, not also ${JSON.stringify(arg)}`,
        );
      }
      positionals.push(arg);
      if (spec.optionsEndAtFirstPositional === true) optionsEnded = true;
      continue;
    }
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const kind = Object.prototype.hasOwnProperty.call(spec.options, name) ? spec.options[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown argument ${JSON.stringify(name)}`);
    if (kind === "flag") {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = inline ?? args[++i];
    // An empty value is the tool's to judge (`match --pattern ''` matches every event).
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    const earlier = values.get(name);
    if (earlier !== undefined) {
      throw new UsageError(`${name} given twice (${JSON.stringify(earlier)} and ${JSON.stringify(value)}): give it once`);
    }
    values.set(name, value);
  }
  return { help: false, values, flags, positionals };
}

/**
 * Writes a usage error the shared way: one line, `<tool>: <problem>`, on stderr (the usage itself is for `--help`:
 * printed after every mistake, it buried the one line that matters). Returns the exit status for bad usage, 2.
 */
export function reportUsageError(tool: string, error: UsageError, stderr: (text: string) => void): 2 {
  stderr(`${tool}: ${error.message}\n`);
  return 2;
}

/** Where a tool writes its usage (`--help`) and its usage errors. */
export interface UsageOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's own streams. */
const PROCESS_OUTPUT: UsageOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The start of every tool: reads its command line with `parse` (the tool's own parser over {@link parseArgs}, which
 * checks the values too) and answers what needs nothing more. On a {@link UsageError}, writes the one line
 * ({@link reportUsageError}); on `--help`, writes `usage` and a newline on stdout.
 *
 * @param parse returns the tool's options: `"help"`, or options whose `help` is true, for `--help`.
 * @returns the options to run with (without a variant whose `help` is always true), or the status to exit with at
 *   once: 0 after `--help`, 2 after a usage error.
 *   Any error other than a UsageError is thrown on.
 */
export function readCommandLine<T extends object>(
  tool: string,
  usage: string,
  parse: () => T | "help",
  output: UsageOutput = PROCESS_OUTPUT,
): Exclude<T, { readonly help: true }> | typeof EXIT_OK | typeof EXIT_USAGE {
  let options: T | "help";
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError(tool, error, output.stderr);
  }
  if (options === "help" || ("help" in options && options.help === true)) {
    output.stdout(`${usage}\n`);
    return EXIT_OK;
  }
  // Not `--help`, so not an option type whose `help` is always true (`{ help: true } | { help: false; ... }`).
  return options as Exclude<T, { readonly help: true }>;
}
