import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MonitorConfig } from "../config/config";
import { localStateFile, PROJECT_NAME, stateKey } from "../config/naming";

/**
 * The Terraform versions every stack accepts. S3-native state locking (`use_lockfile`) came in 1.10 as experimental
 * and is generally available from 1.11 (Terraform 1.11.0 changelog; S3 backend documentation, "State Locking");
 * `.terraform-version` pins the release we test with, which must satisfy this.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0, < 2.0.0";

/** Props shared by every stack of the project. */
export interface LogMonitorStackProps {
  /** The validated configuration of the environment. */
  readonly config: MonitorConfig;
}

/** Options only a stack class itself sets (not a caller). */
export interface LogMonitorStackOptions {
  /**
   * Keep this stack's state in a local file even when a state bucket is configured: the stack that
   * creates the bucket cannot keep its state in it. Such a stack exists once per account and region, so its
   * local state file is named by region (and account, when known), not by environment. @default false
   */
  readonly localStateOnly?: boolean;
  /**
   * The name in the stack's state key and local state file, when it differs from the stack id: the `source` stack
   * is deployed once per source account, each with its own state (`source-<account>`). @default the stack id
   */
  readonly stateName?: string;
  /**
   * The only account whose credentials Terraform accepts, when it is not `LOG_MONITOR_ACCOUNT_ID` (the `source` stack
   * deploys to a source account). @default `LOG_MONITOR_ACCOUNT_ID`, if set
   */
  readonly allowedAccountId?: string;
}

/**
 * A stack with what every stack of the project needs: the AWS provider in the configured region with
 * default tags, the state backend (S3 when configured, local otherwise) and the Terraform version constraint.
 */
export abstract class LogMonitorStack extends TerraformStack {
  /** The configuration the stack was built from. */
  protected readonly config: MonitorConfig;

  constructor(scope: Construct, id: string, props: LogMonitorStackProps, options: LogMonitorStackOptions = {}) {
    super(scope, id);
    this.config = props.config;
    const allowedAccountId = options.allowedAccountId ?? props.config.accountId;

    new AwsProvider(this, "aws", {
      region: props.config.region,
      // With LOG_MONITOR_ACCOUNT_ID, Terraform refuses to plan or apply with credentials of any other account.
      ...(allowedAccountId === undefined ? {} : { allowedAccountIds: [allowedAccountId] }),
      defaultTags: [
        {
          tags: {
            Project: PROJECT_NAME,
            Environment: props.config.environment,
            ManagedBy: "cdktf",
            Stack: id,
          },
        },
      ],
    });

    const backend = props.config.stateBackend;
    if (backend.kind === "s3" && !options.localStateOnly) {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: stateKey(props.config, options.stateName ?? id),
        region: backend.region,
        encrypt: true,
      });
      // CDKTF 0.21's S3Backend has no typed option for S3-native locking (Terraform >= 1.10),
      // and DynamoDB-table locking is deprecated by Terraform.
      s3.addOverride("use_lockfile", true);
    } else {
      // Terraform runs in cdktf.out/stacks/<stack>; the path climbs back to the project folder so that
      // `cdktf synth` (which rewrites cdktf.out) never touches state, and stays relative so that no
      // machine's absolute path ends up in the synthesized JSON or in consumers' remote-state reads.
      new LocalBackend(this, { path: `../../../${localStateFile(props.config, options.stateName ?? id, !options.localStateOnly)}` });
    }

    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
  }
}
