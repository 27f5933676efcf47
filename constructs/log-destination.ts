import { Construct } from "constructs";
import { CloudwatchLogDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-destination";
import { CloudwatchLogDestinationPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-destination-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { destinationAccessPolicy, destinationArnOf, partitionOf, SourceScope } from "../config/cross-account";
import { KINESIS_PRODUCER_KEY_ACTIONS, keyUseThroughService } from "./key-grants";
import { toPolicyDocumentStatement } from "./policy-statement";

/** Props of {@link LogDestination}. */
export interface LogDestinationProps {
  /** The destination's name (regional), e.g. `log-monitor-prod-destination`. */
  readonly destinationName: string;
  /** The name of the role CloudWatch Logs assumes to put the source accounts' deliveries (account-global: carries the region). */
  readonly roleName: string;
  /** ARN of the Kinesis stream the destination delivers into (in this, the central, account). */
  readonly streamArn: string;
  /** ARN of the customer-managed key the stream is encrypted with. */
  readonly kmsKeyArn: string;
  /** The region of the destination, the stream and the source accounts' log groups. */
  readonly region: string;
  /** The central account's id (`LOG_MONITOR_ACCOUNT_ID`), which holds the destination. */
  readonly centralAccountId: string;
  /** The accounts or organization admitted to subscribe. */
  readonly sources: SourceScope;
  /** ARN of a permissions boundary for the role. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * Cross-account delivery (`LOG_MONITOR_SOURCE_ACCOUNTS` or `LOG_MONITOR_ORGANIZATION_ID`): a CloudWatch Logs
 * destination in front of the Kinesis stream, the role CloudWatch Logs assumes to put the source accounts' deliveries
 * into the stream (and nothing else), and the destination policy admitting exactly the listed accounts, or the
 * organization. Source: CloudWatch Logs User Guide, "Cross-account cross-Region subscriptions using Amazon Kinesis Data
 * Streams", Step 1 "Create a destination" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html):
 * the trust policy on `logs.amazonaws.com` with `aws:SourceArn` naming the sender and recipient accounts, the
 * permission `kinesis:PutRecord` on the stream, then PutDestination and PutDestinationPolicy.
 */
export class LogDestination extends Construct {
  /** The destination's ARN, as source accounts name it: `arn:<partition>:logs:<region>:<central>:destination:<name>`. */
  readonly destinationArn: string;
  /** ARN of the role CloudWatch Logs assumes to put records into the stream. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LogDestinationProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    // CloudWatch Logs assumes the role for the recipient account (the test message sent when the destination is
    // created) and for each sender (its deliveries): aws:SourceArn names their CloudWatch Logs ARNs in this region
    // ("The value of aws:SourceArn must limit the permissions to only the accounts that are writing and receiving
    // data", CloudWatch Logs User Guide, "Confused deputy prevention",
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-confused-deputy.html). For an
    // organization the senders are not known at synthesis: any account in this region, limited by aws:SourceOrgID
    // to the organization's (the same page: "Use aws:SourceOrgID to allow any resource from any account within an
    // organization"), so the central account must belong to the organization too.
    const sourceArns =
      props.sources.kind === "accounts"
        ? [...props.sources.accountIds, props.centralAccountId].map((account) => `arn:${partition}:logs:${props.region}:${account}:*`)
        : [`arn:${partition}:logs:${props.region}:*:*`];
    const organizationCondition =
      props.sources.kind === "organization" ? [{ test: "StringEquals", variable: "aws:SourceOrgID", values: [props.sources.organizationId] }] : [];
    const trust = new DataAwsIamPolicyDocument(this, "assume-role-policy", {
      statement: [
        {
          sid: "CloudWatchLogsAssumesRole",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }],
          condition: [{ test: "StringLike", variable: "aws:SourceArn", values: sourceArns }, ...organizationCondition],
        },
      ],
    });
    trust.overrideLogicalId(`${id}-assume-role-policy`);

    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Lets CloudWatch Logs put the source accounts' deliveries to destination ${props.destinationName} into its Kinesis stream, and nothing else`,
      assumeRolePolicy: trust.json,
      ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
    });
    role.overrideLogicalId(`${id}-role`);

    const permissions = new DataAwsIamPolicyDocument(this, "role-policy-document", {
      statement: [
        { sid: "PutSourceDeliveriesIntoStream", actions: ["kinesis:PutRecord"], resources: [props.streamArn] },
        keyUseThroughService({
          sid: "EncryptSourceDeliveries",
          keyArn: props.kmsKeyArn,
          service: "kinesis",
          region: props.region,
          actions: KINESIS_PRODUCER_KEY_ACTIONS,
        }),
      ].map(toPolicyDocumentStatement),
    });
    permissions.overrideLogicalId(`${id}-role-policy-document`);
    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: `${props.roleName}-permissions`,
      role: role.id,
      policy: permissions.json,
    });
    rolePolicy.overrideLogicalId(`${id}-role-policy`);

    const destination = new CloudwatchLogDestination(this, "destination", {
      name: props.destinationName,
      targetArn: props.streamArn,
      roleArn: role.arn,
      // CloudWatch Logs sends a test message through the role when the destination is created.
      dependsOn: [rolePolicy],
    });
    destination.overrideLogicalId(id);

    this.destinationArn = destinationArnOf(props.centralAccountId, props.region, props.destinationName);
    const policy = new CloudwatchLogDestinationPolicy(this, "policy", {
      destinationName: destination.name,
      accessPolicy: JSON.stringify(destinationAccessPolicy(this.destinationArn, props.sources)),
    });
    policy.overrideLogicalId(`${id}-policy`);
    this.roleArn = role.arn;
  }
}
