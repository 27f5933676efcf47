import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { KINESIS_PRODUCER_KEY_ACTIONS, keyUseThroughService } from "./key-grants";
import { toPolicyDocumentStatement } from "./policy-statement";

/** Props of {@link LogStream}. */
export interface LogStreamProps {
  /** The stream's name (regional), e.g. `log-monitor-prod-logs`. */
  readonly streamName: string;
  /** The name of the role CloudWatch Logs assumes to put records (account-global: carries the region). */
  readonly deliveryRoleName: string;
  /** ARN of the customer-managed key the stream is encrypted with. */
  readonly kmsKeyArn: string;
  /** The region (the key is used only through Kinesis in it). */
  readonly region: string;
  /** The account id whose CloudWatch Logs may assume the delivery role. */
  readonly accountId: string;
  /** The partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Hours the stream keeps a record (24 to 8760). @default 24 */
  readonly retentionHours?: number;
  /** ARN of a permissions boundary for the delivery role. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The Kinesis transport's stream (`LOG_MONITOR_TRANSPORT=kinesis`): an on-demand data stream encrypted with the
 * environment's key, and the role CloudWatch Logs assumes to put subscription deliveries into it, which may do
 * nothing else. Source for the role: CloudWatch Logs User Guide, "Subscription filters with Amazon Kinesis Data
 * Streams" (trust `logs.amazonaws.com` with `aws:SourceArn`; permission `kinesis:PutRecord`),
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#DestinationKinesisExample.
 */
export class LogStream extends Construct {
  /** The stream's ARN. */
  readonly streamArn: string;
  /** The stream's name. */
  readonly streamName: string;
  /** ARN of the role CloudWatch Logs assumes to put records into the stream. */
  readonly deliveryRoleArn: string;
  /**
   * The delivery role's policy: a subscription filter or account policy that uses the role must depend on it, since
   * CloudWatch Logs tests delivery when the filter is created.
   */
  readonly deliveryRolePolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: LogStreamProps) {
    super(scope, id);
    const stream = new KinesisStream(this, "stream", {
      name: props.streamName,
      // On-demand: capacity follows the write rate (up to 200 MB/s and 200,000 records/s by default), so a noisy
      // service needs no shard planning (Kinesis Data Streams Developer Guide, "Choose the data stream capacity mode").
      streamModeDetails: { streamMode: "ON_DEMAND" },
      retentionPeriod: props.retentionHours ?? 24,
      encryptionType: "KMS",
      kmsKeyId: props.kmsKeyArn,
    });
    stream.overrideLogicalId(id);

    const trust = new DataAwsIamPolicyDocument(this, "delivery-assume-role-policy", {
      statement: [
        {
          sid: "CloudWatchLogsAssumesRole",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }],
          // Confused-deputy protection: only CloudWatch Logs acting for this account's log groups in this region.
          condition: [
            { test: "StringLike", variable: "aws:SourceArn", values: [`arn:${props.partition}:logs:${props.region}:${props.accountId}:*`] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          ],
        },
      ],
    });
    trust.overrideLogicalId(`${id}-delivery-assume-role-policy`);

    const role = new IamRole(this, "delivery-role", {
      name: props.deliveryRoleName,
      description: `Lets CloudWatch Logs put subscription deliveries into the ${props.streamName} Kinesis stream, and nothing else`,
      assumeRolePolicy: trust.json,
      ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
    });
    role.overrideLogicalId(`${id}-delivery-role`);

    const policy = new DataAwsIamPolicyDocument(this, "delivery-policy", {
      statement: [
        { sid: "PutDeliveriesIntoStream", actions: ["kinesis:PutRecord"], resources: [stream.arn] },
        // The stream is encrypted with the customer-managed key: a producer needs a data key, only through Kinesis.
        keyUseThroughService({
          sid: "EncryptDeliveries",
          keyArn: props.kmsKeyArn,
          service: "kinesis",
          region: props.region,
          actions: KINESIS_PRODUCER_KEY_ACTIONS,
        }),
      ].map(toPolicyDocumentStatement),
    });
    policy.overrideLogicalId(`${id}-delivery-policy`);

    const rolePolicy = new IamRolePolicy(this, "delivery-role-policy", {
      name: `${props.deliveryRoleName}-permissions`,
      role: role.id,
      policy: policy.json,
    });
    rolePolicy.overrideLogicalId(`${id}-delivery-role-policy`);

    this.streamArn = stream.arn;
    this.streamName = stream.name;
    this.deliveryRoleArn = role.arn;
    this.deliveryRolePolicy = rolePolicy;
  }
}
