/**
 * AWS regions per partition, and region resolution as the AWS SDKs and the AWS CLI do it: `AWS_REGION`, then
 * `AWS_DEFAULT_REGION`, then the `region` of the profile (`AWS_PROFILE`, else `default`) in the shared config file
 * (`AWS_CONFIG_FILE`, else `~/.aws/config`). Only `loadConfig` calls it, with the environment it was given.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigurationError } from "./config-error";

/**
 * The regions of each partition the project deploys to, from AWS's endpoint model: boto/botocore
 * `botocore/data/endpoints.json` (botocore 1.43.67, commit 0e6e2404b85dc336dd2889814e089bde7d1a4c55),
 * `partitions[].regions`. A region AWS opens later is added here (and the test beside it names the source).
 */
export const REGIONS_BY_PARTITION: Readonly<Record<"aws" | "aws-cn" | "aws-us-gov", readonly string[]>> = {
  aws: [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
    "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1",
    "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
    "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
};

/** A partition the project deploys to. */
export type Partition = keyof typeof REGIONS_BY_PARTITION;

/** Every region of every partition the project deploys to. */
export const ALL_REGIONS: readonly string[] = Object.values(REGIONS_BY_PARTITION).flat();

/** The partition of a known region, or `undefined`. */
export function partitionOfRegion(region: string): Partition | undefined {
  for (const [partition, regions] of Object.entries(REGIONS_BY_PARTITION)) {
    if (regions.includes(region)) return partition as Partition;
  }
  return undefined;
}

/** Where the region came from: the variable that set it, or the profile of the shared config file. */
export interface ResolvedRegion {
  readonly region: string;
  /** The variable to name in an error about it. */
  readonly variable: "AWS_REGION" | "AWS_DEFAULT_REGION" | "AWS_PROFILE";
  /** For a profile's region: which profile, in which file. */
  readonly source?: string;
}

/** Reads a file's text, or `undefined` when it does not exist (injected by tests). */
export type ReadTextFile = (file: string) => string | undefined;

/** Reads a file with `fs`, `undefined` when it is missing. */
export const readTextFile: ReadTextFile = (file) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
};

/**
 * The region as the AWS SDKs resolve it (AWS SDKs and Tools Reference Guide, "AWS Region": the `AWS_REGION`
 * environment variable, the `region` setting of the profile in the shared config file; the AWS CLI and the Terraform
 * AWS provider also read `AWS_DEFAULT_REGION`), or `undefined` when none is set. The shared config file is
 * `AWS_CONFIG_FILE`, else `<HOME>/.aws/config` (`USERPROFILE` on Windows); the profile `AWS_PROFILE`, else `default`.
 * Only the given environment is read, never the process's own.
 */
export function resolveRegion(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadTextFile = readTextFile,
): ResolvedRegion | undefined {
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
  };
  const fromRegion = value("AWS_REGION");
  if (fromRegion !== undefined) return { region: fromRegion, variable: "AWS_REGION" };
  const fromDefault = value("AWS_DEFAULT_REGION");
  if (fromDefault !== undefined) return { region: fromDefault, variable: "AWS_DEFAULT_REGION" };
  const home = value("HOME") ?? value("USERPROFILE");
  const file = value("AWS_CONFIG_FILE") ?? (home === undefined ? undefined : path.join(home, ".aws", "config"));
  if (file === undefined) return undefined;
  const text = readFile(file);
  if (text === undefined) return undefined;
  const profile = value("AWS_PROFILE") ?? "default";
  const region = profileSetting(text, profile, "region");
  return region === undefined ? undefined : { region, variable: "AWS_PROFILE", source: `profile "${profile}" in ${file}` };
}

/**
 * One setting of one profile of a shared config file (INI: `[default]` or `[profile <name>]` sections,
 * `key = value` lines, `#` and `;` comments). The last occurrence wins, as in the SDKs' parser.
 */
export function profileSetting(text: string, profile: string, key: string): string | undefined {
  let inProfile = false;
  let found: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (section !== null) {
      const name = (section[1] as string).replace(/\s+/g, " ");
      inProfile = profile === "default" ? name === "default" || name === "profile default" : name === `profile ${profile}`;
      continue;
    }
    // Nested settings (`s3 =` followed by indented lines) are indented: only top-level keys count.
    if (!inProfile || /^\s/.test(rawLine)) continue;
    const setting = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (setting !== null && (setting[1] as string).toLowerCase() === key) {
      const settingValue = (setting[2] as string).replace(/\s+[#;].*$/, "").trim();
      if (settingValue !== "") found = settingValue;
    }
  }
  return found;
}

/**
 * Checks a region against {@link REGIONS_BY_PARTITION}.
 * @throws ConfigurationError naming the variable it came from.
 */
export function checkRegion(resolved: ResolvedRegion): string {
  if (partitionOfRegion(resolved.region) !== undefined) return resolved.region;
  const from = resolved.source === undefined ? "" : ` (the region of ${resolved.source})`;
  throw new ConfigurationError(
    resolved.variable,
    resolved.region,
    `is not an AWS region${from}: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2`,
  );
}
