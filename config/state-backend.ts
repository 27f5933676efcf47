/**
 * Where Terraform keeps each stack's state (`LOG_MONITOR_STATE_BUCKET`, `LOG_MONITOR_STATE_REGION`): local files, or an
 * S3 bucket whose name follows S3's naming rules.
 */
import { ConfigurationError } from "./config-error";
import type { StateBackendConfig } from "./monitor-config";
import { parseRegion } from "./values";

const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
// S3, "General purpose bucket naming rules" (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// prefixes and suffixes reserved for other kinds of names (IDNs, access point and Multi-Region Access Point aliases,
// directory and table buckets, AWS's own and documentation buckets).
const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * Why a general purpose bucket name breaks S3's naming rules, or `undefined` when it follows them all
 * (S3 user guide, "General purpose bucket naming rules").
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters; use 3 to 63`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "use only lower-case letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "it must start and end with a letter or digit";
  if (name.includes("..")) return "it must not contain two adjacent dots";
  if (IP_ADDRESS.test(name)) return "it must not be formatted as an IP address";
  const prefix = BUCKET_RESERVED_PREFIXES.find((reserved) => name.startsWith(reserved));
  if (prefix !== undefined) return `the prefix ${prefix} is reserved by S3`;
  const suffix = BUCKET_RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) return `the suffix ${suffix} is reserved by S3`;
  return undefined;
}

/** The state backend from the bucket and its region (the AWS region when unset). */
export function parseStateBackend(bucket: string | undefined, stateRegion: string | undefined, region: string): StateBackendConfig {
  if (bucket === undefined) {
    if (stateRegion !== undefined) {
      throw new ConfigurationError(
        "LOG_MONITOR_STATE_REGION",
        stateRegion,
        "is set but LOG_MONITOR_STATE_BUCKET is not: set the bucket too, or unset the region",
      );
    }
    return { kind: "local" };
  }
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) {
    throw new ConfigurationError("LOG_MONITOR_STATE_BUCKET", bucket, `is not a valid S3 bucket name: ${problem}`);
  }
  return {
    kind: "s3",
    bucket,
    region: stateRegion === undefined ? region : parseRegion("LOG_MONITOR_STATE_REGION", stateRegion),
  };
}
