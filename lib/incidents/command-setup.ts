/**
 * What every `npm run incidents` subcommand does before and around its AWS calls: parse its arguments and read the
 * configuration (one line and exit 2 for either's problem), and name the table in one line when an AWS call fails.
 */
import { ConfigurationError, loadConfig, MonitorConfig } from "../../config/config";
import { reportUsageError } from "../cli/args";
import { explainIncidentsError } from "./aws-errors";
import { UsageError } from "./cli-options";

/**
 * Parses with `parse`, then reads the configuration from `env`. Resolves the parsed command and the configuration; 2
 * after writing the one line that names the problem (a usage error, an invalid variable); or 0 when `answered` says
 * the command was answered without configuration (`--help`).
 */
export function setUpCommand<T>(
  parse: () => T,
  env: Readonly<Record<string, string | undefined>>,
  stderr: (text: string) => void,
  answered: (command: T) => boolean = () => false,
): { readonly command: T; readonly config: MonitorConfig } | 0 | 2 {
  try {
    const command = parse();
    if (answered(command)) return 0;
    return { command, config: loadConfig(env) };
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError("incidents", error, stderr);
    if (error instanceof ConfigurationError) {
      stderr(`incidents: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Writes the one line that explains a failed call on the alert-suppression table; the exit status is 1. */
export function reportSuppressionTableError(error: unknown, tableName: string, config: MonitorConfig, stderr: (text: string) => void): 1 {
  const explained = explainIncidentsError(error, { tableName, table: "alert-suppression", region: config.region, environment: config.environment });
  const { name, message } = error as Error;
  stderr(`incidents: ${explained ?? `${name}: ${message}`}\n`);
  return 1;
}
