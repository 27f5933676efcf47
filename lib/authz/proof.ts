/**
 * The offline authorization proof: synthesizes the app for a configuration, rebuilds from the synthesized JSON
 * every identity, boundary and resource policy, and decides every call the system needs (each must be Allowed) and
 * every call that must be refused (each must be Denied).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadConfig } from "../../config/config";
import { LOG_PROCESSOR_AWS_CALLS } from "../../handlers/log-processor/aws-calls";
import { QUIET_NOTICES_AWS_CALLS } from "../../handlers/quiet-notices/aws-calls";
import { TEST_EMITTER_AWS_CALLS } from "../../handlers/test-emitter/aws-calls";
import { TRIAGE_WIDGET_AWS_CALLS } from "../../handlers/triage-widget/aws-calls";
import type { AwsCall } from "../../handlers/aws-call";
import { SynthesizedApp, synthesizeAppAsync } from "../simulate/synthesized-app";
import { planCalls } from "./calls";
import { CallResult, evaluateCalls } from "./evaluate";
import { EXAMPLE_PERMISSIONS_BOUNDARY } from "./example-boundary";
import type { PolicyDocument } from "./policy-documents";
import { readSystemModel, SystemModel } from "./system-model";

/** Each handler's declared calls, by the function's Terraform name (its handler folder). */
export const HANDLER_AWS_CALLS: Readonly<Record<string, readonly AwsCall[]>> = {
  "log-processor": LOG_PROCESSOR_AWS_CALLS,
  "test-emitter": TEST_EMITTER_AWS_CALLS,
  "quiet-notices": QUIET_NOTICES_AWS_CALLS,
  "triage-widget": TRIAGE_WIDGET_AWS_CALLS,
};

/** A configuration the proof runs over. */
export interface ProofConfiguration {
  /** Its name in the matrix. */
  readonly name: string;
  /** The environment `main.ts` is synthesized with. */
  readonly env: Readonly<Record<string, string>>;
}

/** The default configuration: no variable set. */
export const DEFAULT_CONFIGURATION: ProofConfiguration = { name: "default", env: {} };

/**
 * A production-like configuration: S3 state, alert emails (one critical-only), Slack and Teams channels, quiet-again
 * notices, two of the user's log groups, a permissions boundary, the user's own KMS key, a monthly budget and silence
 * alarms, pinned to the simulated account. The environment is `prod`, so the proof's "another environment" is
 * `prod-eu`, whose name starts with this one's.
 */
export const PRODUCTION_LIKE_CONFIGURATION: ProofConfiguration = {
  name: "production-like",
  env: {
    LOG_MONITOR_ENV: "prod",
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_STATE_BUCKET: "log-monitor-tfstate-123456789012-eu-west-1",
    LOG_MONITOR_ALERT_EMAILS: "oncall@example.com:critical,platform@example.com",
    LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23,T07EA123LEP/C0PAGES01:critical",
    LOG_MONITOR_TEAMS_CHANNELS: "9a3c1f52-7b1e-4a5e-9d2c-0f1e2d3c4b5a/19:ab12cd34ef@thread.tacv2/01234567-89ab-cdef-0123-456789abcdef",
    LOG_MONITOR_QUIET_NOTICES: "true",
    LOG_MONITOR_LOG_GROUPS: "/aws/lambda/orders,/ecs/payments",
    LOG_MONITOR_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:policy/workload-boundary",
    LOG_MONITOR_KMS_KEY_ARN: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    LOG_MONITOR_MONTHLY_BUDGET_USD: "25",
    LOG_MONITOR_SILENCE_ALARM_MINUTES: "30",
    LOG_MONITOR_ACCOUNT_ID: "123456789012",
  },
};

/**
 * Monitoring at scale (issue 13): account-wide, through the Kinesis transport, with one of the user's groups and an
 * exclusion, in environment `scale`.
 */
export const KINESIS_ACCOUNT_WIDE_CONFIGURATION: ProofConfiguration = {
  name: "kinesis-account-wide",
  env: {
    LOG_MONITOR_ENV: "scale",
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_TRANSPORT: "kinesis",
    LOG_MONITOR_ACCOUNT_WIDE: "true",
    LOG_MONITOR_LOG_GROUPS: "/ecs/payments",
    LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/aws/lambda/noisy-*",
  },
};

/** Account-wide monitoring with the direct transport: CloudWatch Logs invokes the processor for any group. */
export const ACCOUNT_WIDE_DIRECT_CONFIGURATION: ProofConfiguration = {
  name: "account-wide-direct",
  env: { LOG_MONITOR_ENV: "wide", AWS_REGION: "eu-west-1", LOG_MONITOR_ACCOUNT_WIDE: "true" },
};

/**
 * Cross-account delivery to listed accounts (issue 13): the central account is the simulated one; two source accounts
 * are admitted. The proof's "unlisted account" is {@link OTHER_ACCOUNT} (lib/authz/calls.ts).
 */
export const CROSS_ACCOUNT_CONFIGURATION: ProofConfiguration = {
  name: "cross-account",
  env: {
    LOG_MONITOR_ENV: "central",
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_TRANSPORT: "kinesis",
    LOG_MONITOR_ACCOUNT_ID: "123456789012",
    LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,222222222222",
  },
};

/** Cross-account delivery to an organization (`aws:PrincipalOrgID`). */
export const CROSS_ACCOUNT_ORGANIZATION_CONFIGURATION: ProofConfiguration = {
  name: "cross-account-organization",
  env: {
    LOG_MONITOR_ENV: "org",
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_TRANSPORT: "kinesis",
    LOG_MONITOR_ACCOUNT_ID: "123456789012",
    LOG_MONITOR_ORGANIZATION_ID: "o-a1b2c3d4e5",
  },
};

/** Every configuration, in matrix order. */
export const PROOF_CONFIGURATIONS: readonly ProofConfiguration[] = [
  DEFAULT_CONFIGURATION,
  PRODUCTION_LIKE_CONFIGURATION,
  KINESIS_ACCOUNT_WIDE_CONFIGURATION,
  ACCOUNT_WIDE_DIRECT_CONFIGURATION,
  CROSS_ACCOUNT_CONFIGURATION,
  CROSS_ACCOUNT_ORGANIZATION_CONFIGURATION,
];

/** The proof's outcome for one configuration. */
export interface ConfigurationProof {
  readonly configuration: ProofConfiguration;
  readonly model: SystemModel;
  readonly results: readonly CallResult[];
  /** What the proof assumed because the synthesized JSON does not hold it. */
  readonly assumptions: readonly string[];
}

/** The synthesized apps of one configuration: the app itself and, for a user key, the key policy to assume. */
export interface SynthesizedConfiguration {
  readonly configuration: ProofConfiguration;
  readonly app: SynthesizedApp;
  /**
   * With `LOG_MONITOR_KMS_KEY_ARN`, the same configuration synthesized without it: its created key's policy is the
   * policy the README requires of a user's key.
   */
  readonly keyPolicySource: SynthesizedApp | undefined;
}

/**
 * Synthesizes a configuration (and its key-policy source) into folders under `workDir`; the two syntheses run at
 * once.
 */
export async function synthesizeConfiguration(projectRoot: string, workDir: string, configuration: ProofConfiguration): Promise<SynthesizedConfiguration> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", ...configuration.env };
  const { LOG_MONITOR_KMS_KEY_ARN: userKey, ...withoutKey } = env;
  const [app, keyPolicySource] = await Promise.all([
    synthesizeAppAsync({ projectRoot, outdir: path.join(workDir, configuration.name), env }),
    userKey === undefined
      ? Promise.resolve(undefined)
      : synthesizeAppAsync({ projectRoot, outdir: path.join(workDir, `${configuration.name}-created-key`), env: withoutKey }),
  ]);
  return { configuration, app, keyPolicySource };
}

/**
 * Runs the proof over already synthesized apps (tests pass modified copies).
 *
 * @param permissionsBoundary the document assumed for a permissions boundary ARN. @default the example boundary
 */
export async function proveConfiguration(
  synthesized: SynthesizedConfiguration,
  permissionsBoundary: PolicyDocument = EXAMPLE_PERMISSIONS_BOUNDARY,
): Promise<ConfigurationProof> {
  const model = readSystemModel(synthesized.app);
  const assumptions: string[] = [];
  let userKeyPolicy: PolicyDocument | undefined;
  if (synthesized.keyPolicySource !== undefined) {
    const created = [...readSystemModel(synthesized.keyPolicySource).keys.values()][0];
    userKeyPolicy = created?.policy;
    assumptions.push(
      `${synthesized.configuration.env.LOG_MONITOR_KMS_KEY_ARN ?? "the user's key"}: its key policy is not in the synthesized JSON; ` +
        "assumed to be the one the README requires (the project's own key policy, synthesized without LOG_MONITOR_KMS_KEY_ARN).",
    );
  }
  const boundaries = [...new Set(model.functions.flatMap((fn) => (fn.permissionsBoundaryArn ? [fn.permissionsBoundaryArn] : [])))];
  for (const boundary of boundaries) {
    assumptions.push(`${boundary}: the boundary's document is not in the synthesized JSON; assumed to be ${permissionsBoundary === EXAMPLE_PERMISSIONS_BOUNDARY ? "lib/authz/example-boundary.ts" : "the document given"}.`);
  }
  const crossAccountSources = loadConfig(synthesized.configuration.env).crossAccount?.sources;
  const calls = planCalls(model, HANDLER_AWS_CALLS, { permissionsBoundary, userKeyPolicy, ...(crossAccountSources === undefined ? {} : { crossAccountSources }) });
  return { configuration: synthesized.configuration, model, results: await evaluateCalls(calls), assumptions };
}

/** Synthesizes and proves every configuration, in a temporary folder removed afterwards. */
export async function runProof(projectRoot: string, configurations: readonly ProofConfiguration[] = PROOF_CONFIGURATIONS): Promise<ConfigurationProof[]> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-authz-"));
  try {
    // Synthesis is most of the time: every configuration synthesizes at once, then each is proved in turn.
    const synthesized = await Promise.all(configurations.map((configuration) => synthesizeConfiguration(projectRoot, workDir, configuration)));
    const proofs: ConfigurationProof[] = [];
    for (const each of synthesized) proofs.push(await proveConfiguration(each));
    return proofs;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The results whose decision is not the expected one. */
export function failures(proof: ConfigurationProof): CallResult[] {
  return proof.results.filter((result) => !result.passed);
}

/** One line naming a call and its outcome, for failure messages. */
export function describeResult(result: CallResult): string {
  const { call } = result;
  return `${call.principal.label} ${call.action} on ${call.resource} [${call.purpose}]: expected ${call.expected}, got ${result.decision} (${result.decidingStatements})`;
}
