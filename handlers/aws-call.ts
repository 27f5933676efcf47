/**
 * The shape of a handler's declaration of the AWS calls it makes (`handlers/<name>/aws-calls.ts`).
 *
 * A declaration names the IAM action and the resource it acts on through the environment variable that names that
 * resource, so that a reader of the synthesized function (and the authorization proof, `npm run authz`) finds the
 * concrete resource in the function's environment. This file and the declarations import no SDK: the stacks import
 * them too, and the bundles must not grow for them.
 */

/** What an environment variable holds, and so how the resource's ARN is formed from it. */
export type AwsCallResourceKind =
  /** A DynamoDB table's name: `arn:<partition>:dynamodb:<region>:<account>:table/<name>`. */
  | "dynamodb-table-name"
  /** An SNS topic's ARN, as is. */
  | "sns-topic-arn"
  /** An SQS queue's URL: `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
  | "sqs-queue-url";

/** One AWS call a handler's code makes. */
export interface AwsCall {
  /** The IAM action the call needs, e.g. `dynamodb:BatchWriteItem`. */
  readonly action: string;
  /**
   * The environment variable naming the resource the call acts on, and what the variable holds; for a call on one of
   * a table's indexes (a Query), the index's name: the resource is then `<table ARN>/index/<index>`.
   */
  readonly resource: { readonly variable: string; readonly holds: AwsCallResourceKind; readonly index?: string };
  /**
   * The call is not made when this environment variable has this value (real-time alerts switched off, say).
   * @default the call is always made
   */
  readonly skippedWhen?: { readonly variable: string; readonly value: string };
  /** Why the handler makes it, for the reader of the authorization matrix. */
  readonly purpose: string;
}
