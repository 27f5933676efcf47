import { PolicyStatementSpec } from "./policy-statement";

/** What using a key for data means: encrypting, decrypting and re-encrypting, directly or by data keys. */
export const CRYPTOGRAPHIC_KEY_ACTIONS: readonly string[] = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];

/**
 * What a principal needs on the customer-managed key of a DynamoDB table it reads or writes. DynamoDB calls KMS on
 * the caller's behalf, so with a key policy that delegates to IAM the caller's own policy must allow these too.
 * The set is the AWS CDK's `Table.grantReadWriteData` key grant (aws/aws-cdk#7425), with its `kms:ReEncrypt*` and
 * `kms:GenerateDataKey*` wildcards named in full: every cryptographic use of the key.
 * Source: AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS", Authorizing use of your KMS key
 * (https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html#dynamodb-authz).
 */
export const ENCRYPTED_TABLE_KEY_ACTIONS: readonly string[] = CRYPTOGRAPHIC_KEY_ACTIONS;

/**
 * What a producer needs on the key of an encrypted SNS topic or SQS queue: a data key to encrypt the message, and
 * `kms:Decrypt` to reuse one. Source: Amazon SNS Developer Guide, "Managing Amazon SNS encryption keys"; Amazon SQS
 * Developer Guide, "Key management" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 */
export const ENCRYPTED_MESSAGE_KEY_ACTIONS: readonly string[] = ["kms:GenerateDataKey", "kms:Decrypt"];

/**
 * What the producer and the consumer of a Kinesis data stream encrypted with a customer-managed key need: a producer
 * `kms:GenerateDataKey`, a consumer `kms:Decrypt` (Amazon Kinesis Data Streams Developer Guide, "Permissions to use
 * user-generated KMS keys", https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
 */
export const KINESIS_PRODUCER_KEY_ACTIONS: readonly string[] = ["kms:GenerateDataKey"];
/** See {@link KINESIS_PRODUCER_KEY_ACTIONS}. */
export const KINESIS_CONSUMER_KEY_ACTIONS: readonly string[] = ["kms:Decrypt"];

/** Props of {@link keyUseThroughService}. */
export interface KeyUseThroughServiceProps {
  /** The statement id, e.g. `UseKeyForIncidentTables`. */
  readonly sid: string;
  /** The key's ARN. */
  readonly keyArn: string;
  /** The service that uses the key on the principal's behalf: `dynamodb`, `sns` or `sqs`. */
  readonly service: "dynamodb" | "kinesis" | "sns" | "sqs";
  /** The region of the service endpoint (`kms:ViaService` is regional). */
  readonly region: string;
  /** The KMS actions the service calls on the principal's behalf. */
  readonly actions: readonly string[];
}

/**
 * An identity-policy statement that lets a principal use the key only through one service in one region
 * (`kms:ViaService`), which is how the key's own policy lets the account use it: the other half of the two-sided
 * rule for customer-managed keys.
 */
export function keyUseThroughService(props: KeyUseThroughServiceProps): PolicyStatementSpec {
  return {
    sid: props.sid,
    actions: [...props.actions],
    resources: [props.keyArn],
    conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [`${props.service}.${props.region}.amazonaws.com`] }],
  };
}
