/**
 * `npm run simulate -- [--errors N] [--minutes M]`: the command line of the simulation, as a function so that
 * tests can run it in-process (and break a link of the chain through {@link SimulateCommandOptions}).
 */
import { ConfigurationError, loadConfig } from "../../config/config";
import { EXIT_FAILURE, EXIT_OK as OK, EXIT_USAGE as USAGE, UsageError } from "../cli/errors";
import { firstBrokenLink } from "./chain-checks";
import { MAX_ERRORS, MAX_MINUTES, runSimulation, SimulationSetupError, SynthesizedAppPatch } from "./simulate";
import { renderReport } from "./timeline";

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
export const SIMULATE_USAGE = `Usage: npm run simulate -- [--errors N] [--minutes M]

Runs the monitoring chain on this machine with nothing deployed: synthesizes the stacks (with the
configuration of LOG_MONITOR_* and AWS_REGION, as cdktf synth does), runs the bundled test emitter and
log processor, applies the synthesized metric and subscription filters, evaluates the synthesized alarm,
and writes incidents to dynalite. No network, no AWS account.

  --errors N    emitter invocations that write an ERROR line, spread over the minutes (0 to ${MAX_ERRORS}; default ${DEFAULT_ERRORS})
  --minutes M   simulated minutes (1 to ${MAX_MINUTES}; default ${DEFAULT_MINUTES})
  --help        show this text

Exit status: 0 when the chain works, 1 when a link is broken (the output says which), 2 on bad usage
or configuration.`;

export { UsageError } from "../cli/errors";

/** Options of the command line. */
export interface SimulateCliOptions {
  readonly errors: number;
  readonly minutes: number;
  readonly help: boolean;
}

/**
 * Parses the arguments after `--`.
 *
 * @throws UsageError naming the argument and the value.
 */
export function parseSimulateArgs(args: readonly string[]): SimulateCliOptions {
  let errors = DEFAULT_ERRORS;
  let minutes = DEFAULT_MINUTES;
  let help = false;
  const wholeNumber = (option: string, value: string | undefined, min: number, max: number): number => {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new UsageError(`${option} takes a whole number from ${min} to ${max}, not ${value === undefined ? "nothing" : JSON.stringify(value)}`);
    }
    return Number(value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [option, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (option === "--help" || option === "-h") help = true;
    else if (option === "--errors") errors = wholeNumber("--errors", inline ?? args[++i], 0, MAX_ERRORS);
    else if (option === "--minutes") minutes = wholeNumber("--minutes", inline ?? args[++i], 1, MAX_MINUTES);
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { errors, minutes, help };
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
}

/** Runs the command; resolves to its exit status. */
export async function runSimulateCommand(args: readonly string[], options: SimulateCommandOptions): Promise<number> {
  let parsed: SimulateCliOptions;
  try {
    parsed = parseSimulateArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    options.stderr(`simulate: ${error.message}\n\n${SIMULATE_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    options.stdout(`${SIMULATE_USAGE}\n`);
    return EXIT_OK;
  }
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
      projectRoot: options.projectRoot,
      env: options.env,
      ...(options.startMs === undefined ? {} : { startMs: options.startMs }),
      ...(options.patchSynthesizedApp === undefined ? {} : { patchSynthesizedApp: options.patchSynthesizedApp }),
      progress: (message) => options.stderr(`simulate: ${message}\n`),
    });
    options.stdout(renderReport(report));
    return firstBrokenLink(report.problems) === undefined ? EXIT_OK : EXIT_BROKEN;
  } catch (error) {
    if (!(error instanceof SimulationSetupError)) throw error;
    options.stdout(`Chain BROKEN at the ${error.link}: ${error.message}\n`);
    return EXIT_BROKEN;
  }
}
