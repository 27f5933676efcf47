import { Construct } from "constructs";
import { CloudwatchLogAccountPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-account-policy";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { DataAwsCloudwatchLogGroup } from "@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { TerraformResource } from "cdktf";
import { destinationArnOf, destinationNameOf, partitionOf } from "../config/cross-account";
import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../config/filter-patterns";
import { globalResourceName, LOGS_SENDER_ROLE_SUFFIX, logGroupId, resourceName } from "../config/naming";
import { selectionCriteria } from "../config/scale";
import { LogMonitorStack, LogMonitorStackProps } from "./log-monitor-stack";

/** Props of {@link SourceStack}. */
export interface SourceStackProps extends LogMonitorStackProps {
  /** The source account the stack deploys to (`LOG_MONITOR_SOURCE_ACCOUNT_ID`). */
  readonly sourceAccountId: string;
  /** The central account, which holds the destination (`LOG_MONITOR_ACCOUNT_ID`). */
  readonly centralAccountId: string;
  /** Whether the destination admits an organization: each subscription then names a sender role. */
  readonly organizationAccess: boolean;
}

/** The stack id: `cdktf deploy source` with the source account's credentials. */
export const SOURCE_STACK_ID = "source";

/**
 * Stack `source`, deployed in each source account of a cross-account setup (`LOG_MONITOR_SOURCE_ACCOUNT_ID` names
 * the account; Terraform refuses any other account's credentials, and the state is `source-<account>`): subscription
 * filters on the account's `LOG_MONITOR_LOG_GROUPS` and, with `LOG_MONITOR_ACCOUNT_WIDE=true`, an account-level
 * subscription filter policy, all sending error candidates to the central account's destination. The destination's
 * ARN is computed from `LOG_MONITOR_ACCOUNT_ID`, the region and the environment: this stack never reads the central
 * stacks' state, which is another account's. Sources: CloudWatch Logs User Guide, "Cross-account cross-Region
 * subscriptions using Amazon Kinesis Data Streams" (Step 4, "Create a subscription filter"; with an organization,
 * Step 2, "(Only if using an organization) Create an IAM role"), and its account-level variant (PutAccountPolicy).
 */
export class SourceStack extends LogMonitorStack {
  /** The central account's destination this account sends to. */
  readonly destinationArn: string;

  constructor(scope: Construct, id: string, props: SourceStackProps) {
    const { sourceAccountId } = props;
    super(scope, id, props, { stateName: `${SOURCE_STACK_ID}-${sourceAccountId}`, allowedAccountId: sourceAccountId });
    const { config } = props;
    const partition = partitionOf(config.region);
    this.destinationArn = destinationArnOf(props.centralAccountId, config.region, destinationNameOf(config.environment));

    // With an organization, CloudWatch Logs checks the sender's permission to subscribe by assuming a role of the
    // sender account given in the filter (the destination policy admits aws:PrincipalOrgID, not an account); the
    // role may only put log events into this account's subscribed log groups. The trust policy is AWS's, unchanged.
    let senderRole: IamRole | undefined;
    let senderDependsOn: TerraformResource[] = [];
    if (props.organizationAccess) {
      const groupArns = config.scale.accountWide
        ? [`arn:${partition}:logs:${config.region}:${sourceAccountId}:log-group:*`]
        : config.logGroups.map((group) => `arn:${partition}:logs:${config.region}:${sourceAccountId}:log-group:${group.name}:*`);
      const trust = new DataAwsIamPolicyDocument(this, "sender-assume-role-policy", {
        statement: [{ sid: "CloudWatchLogsAssumesRole", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }] }],
      });
      senderRole = new IamRole(this, "sender-role", {
        name: globalResourceName(config, LOGS_SENDER_ROLE_SUFFIX),
        description: `Lets CloudWatch Logs check this account's subscriptions to ${this.destinationArn} (organization access), and nothing else`,
        assumeRolePolicy: trust.json,
        ...(config.permissionsBoundaryArn ? { permissionsBoundary: config.permissionsBoundaryArn } : {}),
      });
      const permissions = new DataAwsIamPolicyDocument(this, "sender-role-policy-document", {
        statement: [{ sid: "PutSubscribedLogEvents", actions: ["logs:PutLogEvents"], resources: [...groupArns].sort() }],
      });
      senderDependsOn = [
        new IamRolePolicy(this, "sender-role-policy", {
          name: `${globalResourceName(config, LOGS_SENDER_ROLE_SUFFIX)}-permissions`,
          role: senderRole.id,
          policy: permissions.json,
        }),
      ];
    }
    const roleArn = senderRole === undefined ? {} : { roleArn: senderRole.arn };
    const dependsOn = senderDependsOn.length === 0 ? {} : { dependsOn: senderDependsOn };

    const filterName = resourceName(config, "log-processor");
    for (const group of config.logGroups) {
      const groupId = logGroupId(group.name);
      // Reading the group also checks, at plan time, that it exists in this account.
      new DataAwsCloudwatchLogGroup(this, `${groupId}-log-group`, { name: group.name });
      new CloudwatchLogSubscriptionFilter(this, `${groupId}-destination-subscription`, {
        name: filterName,
        logGroupName: group.name,
        filterPattern: group.subscriptionPattern ?? LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
        destinationArn: this.destinationArn,
        ...roleArn,
        distribution: "Random",
        ...dependsOn,
      });
    }

    if (config.scale.accountWide) {
      // The groups of LOG_MONITOR_LOG_GROUPS keep their own filters; the user's exact exclusions are left out; prefix
      // exclusions are dropped by the central processor (EXCLUDED_LOG_GROUP_PREFIXES), whatever the account.
      const excluded = [...config.logGroups.map((group) => group.name), ...config.scale.excludeLogGroups.names];
      new CloudwatchLogAccountPolicy(this, "account-destination-policy", {
        policyName: resourceName(config, "errors"),
        policyType: "SUBSCRIPTION_FILTER_POLICY",
        scope: "ALL",
        ...(excluded.length === 0 ? {} : { selectionCriteria: selectionCriteria(excluded) }),
        policyDocument: JSON.stringify({
          DestinationArn: this.destinationArn,
          FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
          Distribution: "Random",
          ...(senderRole === undefined ? {} : { RoleArn: senderRole.arn }),
        }),
        ...dependsOn,
      });
    }
  }
}
