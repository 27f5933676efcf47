/**
 * `npm run simulate -- [--errors N] [--minutes M] [--resolve-after R] [--json]`: the command line of the simulation, as a function so that
 * tests can run it in-process (and break a link of the chain through {@link SimulateCommandOptions}).
 */
import { ConfigurationError, loadConfig } from "../../config/config";
import { EXIT_FAILURE, EXIT_OK as OK, EXIT_USAGE as USAGE, UsageError } from "../cli/errors";
import { firstBrokenLink } from "./chain-checks";
import { MAX_ERRORS, MAX_MINUTES, runSimulation, SimulationOptions, SimulationSetupError, SynthesizedAppPatch } from "./simulate";
import { parseArgs, readCommandLine } from "../cli/args";
import { renderReport, reportJson } from "./timeline";

/** Exit status: the chain works. */
export const EXIT_OK = OK;
/** Exit status: a link of the chain is broken (the output names it). */
export const EXIT_BROKEN = EXIT_FAILURE;
/** Exit status: bad usage or configuration (lib/cli/errors.ts). */
export const EXIT_USAGE = USAGE;

/** Default error invocations. */
export const DEFAULT_ERRORS = 3;
/** Default simulated minutes. */
export const DEFAULT_MINUTES = 5;

/** Usage text of `npm run simulate`. */
export const SIMULATE_USAGE = `Usage: npm run simulate -- [--errors N] [--minutes M] [--resolve-after R] [--json]

Runs the monitoring chain on this machine with nothing deployed: synthesizes the stacks (with the
configuration of LOG_MONITOR_* and AWS_REGION, as cdktf synth does), runs the bundled test emitter and
log processor, applies the synthesized metric and subscription filters, evaluates the synthesized alarm,
and writes incidents to dynalite. No network, no AWS account.

  --errors N    emitter invocations that write an ERROR line, spread over the minutes (0 to ${MAX_ERRORS}; default ${DEFAULT_ERRORS})
  --minutes M   simulated minutes (1 to ${MAX_MINUTES}; default ${DEFAULT_MINUTES})
  --resolve-after R
                at simulated minute R (1 to M - 1), resolve every failure that has alerted so far, as
                npm run incidents -- resolve would: its next occurrence alerts once as REGRESSED
  --json        print the report as one JSON document (verdict, alarms, deliveries, incidents, alerts,
                resolutions)
  --help        show this text

Exit status: 0 when the chain works, 1 when a link is broken (the output says which), 2 on bad usage
or configuration.`;

export { UsageError } from "../cli/errors";

/** Options of the command line. */
export interface SimulateCliOptions {
  readonly errors: number;
  readonly minutes: number;
  /** The simulated minute at which every failure that alerted so far is resolved (`--resolve-after`). @default none */
  readonly resolveAfter?: number;
  /** Print one JSON document instead of the text report (`--json`). */
  readonly json: boolean;
  readonly help: boolean;
}

/**
 * Parses the arguments after `--`.
 *
 * @throws UsageError naming the argument and the value.
 */
export function parseSimulateArgs(args: readonly string[]): SimulateCliOptions {
  // The shared parser (lib/cli/args.ts): an unknown or repeated option is refused.
  const parsed = parseArgs(args, { options: { "--errors": "value", "--minutes": "value", "--resolve-after": "value", "--json": "flag" } });
  const wholeNumber = (option: string, min: number, max: number, fallback: number, why = ""): number => {
    const value = parsed.values.get(option);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new UsageError(`${option} takes a whole number from ${min} to ${max}${why}, not ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
  if (parsed.help) return { errors: DEFAULT_ERRORS, minutes: DEFAULT_MINUTES, json: false, help: true };
  const errors = wholeNumber("--errors", 0, MAX_ERRORS, DEFAULT_ERRORS);
  const minutes = wholeNumber("--minutes", 1, MAX_MINUTES, DEFAULT_MINUTES);
  const resolveAfterValue = parsed.values.get("--resolve-after");
  if (resolveAfterValue !== undefined && minutes < 2) {
    throw new UsageError(`--resolve-after needs a simulation of 2 minutes or more (--minutes ${minutes}), so that something comes after it`);
  }
  // A minute of the simulation after its first and before its end, so that errors can fall on both sides of it.
  const resolveAfter = resolveAfterValue === undefined ? undefined : wholeNumber("--resolve-after", 1, minutes - 1, 0, ` (a minute before the end of --minutes ${minutes})`);
  return {
    errors,
    minutes,
    ...(resolveAfter === undefined ? {} : { resolveAfter }),
    json: parsed.flags.has("--json"),
    help: false,
  };
}

/** Where the command writes, what it reads, and test seams. */
export interface SimulateCommandOptions {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The environment synthesis reads its configuration from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The project folder (holding main.ts). */
  readonly projectRoot: string;
  /** Start of the first simulated minute. @default the current minute */
  readonly startMs?: number;
  /** Changes what was synthesized before it is simulated (tests break a link with it). @default none */
  readonly patchSynthesizedApp?: SynthesizedAppPatch;
  /** How the app is synthesized (see {@link SimulationOptions}). @default main.ts in its own process */
  readonly synthesize?: SimulationOptions["synthesize"];
}

/** Runs the command; resolves to its exit status. */
export async function runSimulateCommand(args: readonly string[], options: SimulateCommandOptions): Promise<number> {
  const parsed = readCommandLine("simulate", SIMULATE_USAGE, () => parseSimulateArgs(args), options);
  if (typeof parsed === "number") return parsed;
  // A bad variable is the user's configuration, not a broken chain: one line and exit 2, before synthesizing.
  try {
    loadConfig(options.env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    options.stderr(`simulate: ${error.message}\n`);
    return EXIT_USAGE;
  }
  try {
    const report = await runSimulation({
      errors: parsed.errors,
      minutes: parsed.minutes,
      ...(parsed.resolveAfter === undefined ? {} : { resolveAfterMinutes: parsed.resolveAfter }),
      projectRoot: options.projectRoot,
      env: options.env,
      ...(options.startMs === undefined ? {} : { startMs: options.startMs }),
      ...(options.patchSynthesizedApp === undefined ? {} : { patchSynthesizedApp: options.patchSynthesizedApp }),
      ...(options.synthesize === undefined ? {} : { synthesize: options.synthesize }),
      progress: (message) => options.stderr(`simulate: ${message}\n`),
    });
    options.stdout(parsed.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : renderReport(report));
    return firstBrokenLink(report.problems) === undefined ? EXIT_OK : EXIT_BROKEN;
  } catch (error) {
    if (!(error instanceof SimulationSetupError)) throw error;
    options.stdout(
      parsed.json
        ? `${JSON.stringify({ verdict: "broken", brokenLink: error.link, problems: [{ link: error.link, message: error.message }] }, null, 2)}\n`
        : `Chain BROKEN at the ${error.link}: ${error.message}\n`,
    );
    return EXIT_BROKEN;
  }
}
