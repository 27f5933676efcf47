/**
 * A deployment file: the one description of a deployment's configuration that `cdktf deploy`, `cdktf diff`, the
 * scripts and the pull-request workflow all read, so that a PR's plan is the plan of what was deployed.
 *
 * `LOG_MONITOR_DEPLOYMENT=deployments/prod.env` names the file; {@link environmentWithDeployment} merges it into the
 * environment before `loadConfig` reads it. The format is deliberately smaller than a shell's:
 *
 * - one `KEY=VALUE` per line; blank lines and lines whose first non-blank character is `#` are ignored;
 * - the value is everything after the first `=`, taken literally: no quotes are removed, nothing is expanded
 *   (`$` stays `$`, as a JSON filter pattern `{ $.level = "ERROR" }` needs), and `#` inside a value is not a comment;
 *   a value wrapped in matching quotes is refused rather than kept with its quotes;
 * - keys are the project's own variables (the names `loadConfig` knows) plus `AWS_REGION` and `AWS_DEFAULT_REGION`;
 *   anything else (credentials, profiles, `TF_*`) is refused, so no secret is ever committed in one;
 * - a key appears once.
 *
 * Precedence: the file is the deployment. A variable the environment leaves unset takes the file's value; a variable
 * set in both must have the same value (compared as `loadConfig` reads it, trimmed), and a different value is refused
 * with one line naming both, because an override would make a local `cdktf deploy` or the PR diff plan something
 * other than the deployment the file describes. For the same reason a non-empty `LOG_MONITOR_*` variable that only
 * the environment sets is refused (it would reach one machine's plan and not the workflow's), and the file must name
 * its region with `AWS_REGION` (a region left to each shell is a different deployment on each). Other variables
 * (credentials, `AWS_PROFILE`, `TF_*`) pass through unchanged.
 */

import * as fs from "fs";
import * as path from "path";
import { ConfigurationError } from "./config-error";
import { checkUnknownVariables, KNOWN_VARIABLES, VARIABLE_PREFIX } from "./variables";

/** The variable that names the deployment file. */
export const DEPLOYMENT_VARIABLE = "LOG_MONITOR_DEPLOYMENT";

/** The keys a deployment file may set besides the project's own variables. */
export const DEPLOYMENT_REGION_KEYS = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

/** One `KEY=VALUE` line of a deployment file. */
export interface DeploymentEntry {
  /** The variable's name. */
  readonly key: string;
  /** Its value, exactly as written after the first `=`. */
  readonly value: string;
  /** The 1-based line it is on, for messages. */
  readonly line: number;
}

/** How {@link environmentWithDeployment} reaches the file system; tests pass their own. */
export interface DeploymentFileOptions {
  /**
   * The folder a relative file name is read from.
   * @default process.cwd(), the project folder when run by `cdktf` or `npm run`
   */
  readonly cwd?: string;
  /**
   * Reads the file as UTF-8.
   * @default fs.readFileSync
   */
  readonly readFile?: (file: string) => string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const KEY = /^[A-Z][A-Z0-9_]*$/;
const QUOTED = /^(["']).*\1$/s;

/**
 * Parses the text of a deployment file; `fileName` only names it in messages.
 *
 * @throws ConfigurationError naming {@link DEPLOYMENT_VARIABLE}, the file and the line, or the variable at fault.
 */
export function parseDeploymentFile(text: string, fileName: string): readonly DeploymentEntry[] {
  const entries: DeploymentEntry[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const fail = (reason: string): never => {
      throw new ConfigurationError(DEPLOYMENT_VARIABLE, fileName, `line ${line}: ${reason}`);
    };
    const equals = raw.indexOf("=");
    if (equals < 0) fail("is not KEY=VALUE (a comment line starts with #)");
    const key = raw.slice(0, equals);
    if (key !== key.trim() || !KEY.test(key)) {
      fail(`${JSON.stringify(key)} is not a variable name: write KEY=VALUE with no spaces, quotes or "export" before the =`);
    }
    const value = raw.slice(equals + 1);
    if (key === DEPLOYMENT_VARIABLE) fail(`${DEPLOYMENT_VARIABLE} cannot be set in a deployment file: it names the file`);
    if (!key.startsWith(VARIABLE_PREFIX) && !(DEPLOYMENT_REGION_KEYS as readonly string[]).includes(key)) {
      fail(`${key} is not allowed in a deployment file: only log-monitor's own variables, AWS_REGION and AWS_DEFAULT_REGION (credentials and profiles stay out of the repository)`);
    }
    try {
      checkUnknownVariables({ [key]: value });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      throw new ConfigurationError(error.variable, error.value, `${error.reason} (${fileName}, line ${line})`);
    }
    if (QUOTED.test(value.trim())) {
      throw new ConfigurationError(key, value, `is quoted (${fileName}, line ${line}): values in a deployment file are taken literally, so remove the quotes`);
    }
    const earlier = entries.find((entry) => entry.key === key);
    if (earlier !== undefined) fail(`${key} is already set on line ${earlier.line}: set each variable once`);
    entries.push({ key, value, line });
  });
  return entries;
}

/**
 * The environment `loadConfig` should read: `env` itself when {@link DEPLOYMENT_VARIABLE} is unset or empty,
 * otherwise `env` with the deployment file's variables merged in (see the module comment for the precedence rule).
 *
 * @throws ConfigurationError when the file cannot be read, is malformed, or disagrees with the environment.
 */
export function environmentWithDeployment(env: Environment, options: DeploymentFileOptions = {}): Environment {
  const fileName = env[DEPLOYMENT_VARIABLE]?.trim() ?? "";
  if (fileName === "") return env;
  const file = path.resolve(options.cwd ?? process.cwd(), fileName);
  let text: string;
  try {
    text = (options.readFile ?? ((name: string) => fs.readFileSync(name, "utf8")))(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : (error as Error).message;
    throw new ConfigurationError(DEPLOYMENT_VARIABLE, fileName, `cannot be read: ${why} (relative names are read from ${options.cwd ?? process.cwd()})`);
  }
  const entries = parseDeploymentFile(text, fileName);
  if (!entries.some((entry) => entry.key === "AWS_REGION")) {
    throw new ConfigurationError(DEPLOYMENT_VARIABLE, fileName, "sets no AWS_REGION: a deployment names its region (AWS_REGION=<region>)");
  }
  const inFile = new Set(entries.map((entry) => entry.key));
  const onlyInEnvironment = Object.keys(env)
    .filter((key) => key.startsWith(VARIABLE_PREFIX) && key !== DEPLOYMENT_VARIABLE && !inFile.has(key) && (env[key]?.trim() ?? "") !== "")
    .sort()[0];
  if (onlyInEnvironment !== undefined) {
    throw new ConfigurationError(
      onlyInEnvironment,
      env[onlyInEnvironment] ?? "",
      `is set in the environment but not in ${fileName}: with a deployment file, the configuration is the file's, so that deploy and the PR diff read the same values; add it to the file, or unset it`,
    );
  }
  const merged: Record<string, string | undefined> = { ...env };
  for (const { key, value, line } of entries) {
    const current = env[key];
    if (current !== undefined && current.trim() !== value.trim()) {
      throw new ConfigurationError(
        key,
        current,
        `is set in the environment, but ${fileName} (line ${line}) sets ${JSON.stringify(value)}: unset it, or change the file, so that deploy and the PR diff read the same value`,
      );
    }
    merged[key] = value;
  }
  return merged;
}

/** Every variable a deployment file may set, for documentation and tests. */
export function deploymentFileKeys(): readonly string[] {
  return [...KNOWN_VARIABLES.filter((name) => name !== DEPLOYMENT_VARIABLE), ...DEPLOYMENT_REGION_KEYS];
}
