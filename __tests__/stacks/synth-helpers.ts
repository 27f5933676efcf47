import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { loadConfig, MonitorConfig } from "../../config/config";
import { createLogMonitorStacks, LogMonitorStacks } from "../../stacks/log-monitor";

/** The fixed environment the stack tests and snapshots are built from (S3 backend set). */
export const TEST_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: "eu-west-1",
  LOG_MONITOR_ENV: "test",
  LOG_MONITOR_STATE_BUCKET: "example-terraform-state",
  LOG_MONITOR_ALERT_EMAILS: "oncall@example.com, Team.Lead+alerts@example.org",
};

/** The configuration parsed from {@link TEST_ENV}, optionally with other variables. */
export function testConfig(overrides: Readonly<Record<string, string>> = {}): MonitorConfig {
  return loadConfig({ ...TEST_ENV, ...overrides });
}

/** Synthesized Terraform JSON of each stack, as `cdktf synth` writes it but without CDKTF's "//" metadata. */
export interface SynthesizedStacks {
  readonly state: string;
  readonly alerting: string;
  readonly processing: string;
  readonly dashboard: string;
  /** The `source` stack, when `LOG_MONITOR_SOURCE_ACCOUNT_ID` is set. */
  readonly source?: string;
  readonly stacks: LogMonitorStacks;
}

/**
 * Builds the three stacks in one app and synthesizes the whole app, as `cdktf synth` does.
 * (`Testing.synth(stack)` alone leaves cross-stack references unresolved: they only become outputs and
 * `terraform_remote_state` reads when the app is synthesized.)
 */
export function synthStacks(config: MonitorConfig = testConfig()): SynthesizedStacks {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-synth-"));
  try {
    const app = Testing.app({ outdir });
    const stacks = createLogMonitorStacks(app, config);
    app.synth();
    const read = (id: string): string =>
      JSON.stringify(withoutMetadata(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"))), null, 2);
    return {
      state: read("state"),
      alerting: read("alerting"),
      processing: read("processing"),
      dashboard: read("dashboard"),
      ...(stacks.source === undefined ? {} : { source: read("source") }),
      stacks,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A copy of synthesized JSON without CDKTF's "//" metadata blocks (construct paths, stack metadata). */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== "//")
        .map(([key, inner]) => [key, withoutMetadata(inner)]),
    );
  }
  return value;
}

/** A parsed synthesized stack. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TerraformJson = Record<string, any>;

/** All resources of one type in a parsed stack, by name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, TerraformJson> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type in a parsed stack; fails if there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): TerraformJson {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
