import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { CRYPTOGRAPHIC_KEY_ACTIONS as CRYPTOGRAPHIC_ACTIONS } from "./key-grants";

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** The alias name without the `alias/` prefix, e.g. `log-monitor-dev`. */
  readonly aliasName: string;
  /** The key's description. */
  readonly description: string;
  /** The AWS region; CloudWatch Logs' service principal is regional. */
  readonly region: string;
  /** The account id that owns the key. */
  readonly accountId: string;
  /** The partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** ARNs of the log groups CloudWatch Logs may encrypt with the key, exactly (no wildcard). */
  readonly logGroupArns: readonly string[];
  /** ARNs of the alarms that may publish to topics encrypted with the key, exactly (no wildcard). */
  readonly alarmArns: readonly string[];
  /** ARN of the AWS Budgets budget that may publish to topics encrypted with the key. @default none */
  readonly budgetArn?: string;
  /**
   * Whether a Kinesis data stream is encrypted with the key (`LOG_MONITOR_TRANSPORT=kinesis`): the account's
   * principals may then also use it through Kinesis (CloudWatch Logs' delivery role to put records, the processor's
   * role to read them). @default false
   */
  readonly kinesisStream?: boolean;
}

/**
 * The environment's customer-managed KMS key, with rotation, and a key policy that names who may use it:
 * - the account administers the key (actions listed, not `kms:*`), and its principals may use it only
 *   through DynamoDB, Lambda, SNS and SQS in this region (`kms:ViaService`), as their IAM policies allow;
 * - CloudWatch, so that the environment's alarms (named exactly) can publish to the encrypted SNS topic (the
 *   AWS-managed `alias/aws/sns` key cannot grant that, and alarm notifications would be silently dropped);
 * - AWS Budgets, when a budget is configured, for that budget only;
 * - CloudWatch Logs in this region, only for the environment's own log groups (by encryption context, exactly).
 */
export class EncryptionKey extends Construct {
  /** The key's ARN. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const accountRoot = `arn:${props.partition}:iam::${props.accountId}:root`;

    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          // Without an account statement a key becomes unmanageable; this one administers, it does not
          // encrypt or decrypt (that is only through the services below).
          sid: "AccountAdministersKey",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [accountRoot] }],
          actions: [
            "kms:CancelKeyDeletion",
            "kms:CreateAlias",
            "kms:DeleteAlias",
            "kms:DescribeKey",
            "kms:DisableKey",
            "kms:DisableKeyRotation",
            "kms:EnableKey",
            "kms:EnableKeyRotation",
            "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus",
            "kms:ListGrants",
            "kms:ListKeyRotations",
            "kms:ListResourceTags",
            "kms:PutKeyPolicy",
            "kms:RetireGrant",
            "kms:RevokeGrant",
            "kms:RotateKeyOnDemand",
            "kms:ScheduleKeyDeletion",
            "kms:TagResource",
            "kms:UntagResource",
            "kms:UpdateAlias",
            "kms:UpdateKeyDescription",
          ],
          // In a key policy, "*" means "this key".
          resources: ["*"],
        },
        {
          // The account's principals (the processor's role, the deployer, an operator running redrive) may use
          // the key only through the services that store the project's data, and only as IAM allows them.
          sid: "AccountUsesKeyThroughProjectServices",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [accountRoot] }],
          // DynamoDB needs CreateGrant from the principal that creates an encrypted table.
          actions: ["kms:CreateGrant", ...CRYPTOGRAPHIC_ACTIONS],
          resources: ["*"],
          condition: [
            {
              test: "StringEquals",
              variable: "kms:ViaService",
              values: ["dynamodb", ...(props.kinesisStream === true ? ["kinesis"] : []), "lambda", "sns", "sqs"].map(
                (service) => `${service}.${props.region}.amazonaws.com`,
              ),
            },
            { test: "StringEquals", variable: "kms:CallerAccount", values: [props.accountId] },
          ],
        },
        // Confused-deputy protection: only this account's alarms of this project (AWS supports both keys
        // for CloudWatch alarm notifications; it does not for EventBridge, so do not copy this there).
        publishesToEncryptedTopic("CloudWatchAlarmsPublishToEncryptedTopic", "cloudwatch.amazonaws.com", props.accountId, props.alarmArns),
        // AWS Budgets publishes cost notifications to the encrypted topic (Cost Management User Guide,
        // "Creating an Amazon SNS topic for budget notifications"; an encrypted topic needs the key too).
        ...(props.budgetArn === undefined
          ? []
          : [publishesToEncryptedTopic("BudgetsPublishToEncryptedTopic", "budgets.amazonaws.com", props.accountId, [props.budgetArn])]),
        {
          sid: "CloudWatchLogsEncryptsProjectLogGroups",
          effect: "Allow",
          principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
          actions: [...CRYPTOGRAPHIC_ACTIONS],
          resources: ["*"],
          condition: [
            { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [...props.logGroupArns] },
          ],
        },
      ],
    });

    policy.overrideLogicalId(`${id}-policy`);

    const key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    key.overrideLogicalId(id);

    const alias = new KmsAlias(this, "alias", {
      name: `alias/${props.aliasName}`,
      targetKeyId: key.keyId,
    });
    alias.overrideLogicalId(`${id}-alias`);

    this.keyArn = key.arn;
  }
}

/**
 * The key policy statement that lets `service` publish to a topic encrypted with the key (it needs a data key, and
 * to decrypt it), only for the `sourceArns` of `accountId` (aws:SourceAccount and aws:SourceArn: confused-deputy
 * protection).
 */
function publishesToEncryptedTopic(sid: string, service: string, accountId: string, sourceArns: readonly string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [service] }],
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: ["*"],
    condition: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [...sourceArns] },
    ],
  };
}
