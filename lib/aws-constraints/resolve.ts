/**
 * Resolves the Terraform references of synthesized CDKTF JSON as far as synthesis can know them: a resource's own
 * arguments (`${aws_sqs_queue.q.name}`), ARNs AWS derives from a name, the account (every account id has 12 digits,
 * so a placeholder makes sizes exact), the partition of the region, and cross-stack references (the producer stack's
 * output). What cannot be known (a KMS key's id) becomes a placeholder of the real length; anything else is left
 * unresolved, and the checks skip it.
 */
import { partitionOfRegion } from "../../config/regions";
import { SIZE_ACCOUNT_ID } from "../../config/deployability";

/** A parsed stack: Terraform JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StackJson = Record<string, any>;

/** The stacks of one synthesized app, by stack id, with the region they deploy to. */
export interface SynthesizedApp {
  readonly region: string;
  readonly stacks: Readonly<Record<string, StackJson>>;
}

/** A KMS key id as AWS makes them (a UUID): same length as any. */
const KEY_ID = "00000000-0000-4000-8000-000000000000";
const TOKEN = /\$\{([^{}]+)\}/g;

/** Resolves references in strings of one stack of an app. */
export class Resolver {
  private readonly partition: string;

  constructor(private readonly app: SynthesizedApp) {
    this.partition = partitionOfRegion(app.region) ?? "aws";
  }

  /** The string with every reference it could resolve replaced; `undefined` when one stays unknown. */
  resolve(stack: string, value: string, depth = 0): string | undefined {
    if (depth > 8) return undefined;
    let unknown = false;
    const out = value.replace(TOKEN, (_, expression: string) => {
      const resolved = this.expression(stack, expression.trim(), depth);
      if (resolved === undefined) unknown = true;
      return resolved ?? "";
    });
    return unknown ? undefined : out;
  }

  private expression(stack: string, expression: string, depth: number): string | undefined {
    const parts = expression.split(".");
    const json = this.app.stacks[stack];
    if (json === undefined) return undefined;
    if (parts[0] === "data") {
      const [, type, name, attribute, ...rest] = parts;
      if (type === "aws_caller_identity" && attribute === "account_id") return SIZE_ACCOUNT_ID;
      if (type === "aws_partition" && attribute === "partition") return this.partition;
      if (type === "terraform_remote_state" && attribute === "outputs" && rest.length === 1) {
        const producer = /^cross-stack-reference-input-(.+)$/.exec(name ?? "")?.[1];
        const output = producer === undefined ? undefined : this.app.stacks[producer]?.output?.[rest[0] as string];
        return typeof output?.value === "string" ? this.resolve(producer as string, output.value, depth + 1) : undefined;
      }
      if (type === "aws_iam_policy_document" && attribute === "json") return undefined;
      const block = json.data?.[type as string]?.[name as string];
      if (block === undefined) return undefined;
      if (type === "aws_cloudwatch_log_group" && attribute === "arn") {
        const groupName = this.resolve(stack, String(block.name), depth + 1);
        return groupName === undefined ? undefined : `arn:${this.partition}:logs:${this.app.region}:${SIZE_ACCOUNT_ID}:log-group:${groupName}`;
      }
      return typeof block[attribute as string] === "string" ? this.resolve(stack, block[attribute as string], depth + 1) : undefined;
    }
    const [type, name, attribute] = parts;
    const resource = json.resource?.[type as string]?.[name as string];
    if (resource === undefined) return undefined;
    const own = (key: string) => (typeof resource[key] === "string" ? this.resolve(stack, resource[key], depth + 1) : undefined);
    const arn = (service: string, resourcePart: string | undefined, global = false) =>
      resourcePart === undefined ? undefined : `arn:${this.partition}:${service}:${global ? "" : this.app.region}:${SIZE_ACCOUNT_ID}:${resourcePart}`;
    if (attribute === "arn") {
      switch (type) {
        case "aws_sns_topic":
          return arn("sns", own("name"));
        case "aws_sqs_queue":
          return arn("sqs", own("name"));
        case "aws_dynamodb_table":
          return arn("dynamodb", own("name") === undefined ? undefined : `table/${own("name")}`);
        case "aws_kinesis_stream":
          return arn("kinesis", own("name") === undefined ? undefined : `stream/${own("name")}`);
        case "aws_lambda_function":
          return arn("lambda", own("function_name") === undefined ? undefined : `function:${own("function_name")}`);
        case "aws_iam_role":
          return arn("iam", own("name") === undefined ? undefined : `role/${own("name")}`, true);
        case "aws_iam_policy":
          return arn("iam", own("name") === undefined ? undefined : `policy/${own("name")}`, true);
        case "aws_kms_key":
          return arn("kms", `key/${KEY_ID}`);
        case "aws_cloudwatch_log_group":
          return arn("logs", own("name") === undefined ? undefined : `log-group:${own("name")}`);
        case "aws_cloudwatch_metric_alarm":
          return arn("cloudwatch", own("alarm_name") === undefined ? undefined : `alarm:${own("alarm_name")}`);
        case "aws_s3_bucket":
          return own("bucket") === undefined ? undefined : `arn:${this.partition}:s3:::${own("bucket")}`;
        case "aws_cloudwatch_log_destination":
          return arn("logs", own("name") === undefined ? undefined : `destination:${own("name")}`);
        default:
          return undefined;
      }
    }
    if (attribute === "id" && type === "aws_kms_key") return KEY_ID;
    if (attribute === "id" && type === "aws_s3_bucket") return own("bucket");
    if (attribute === "url" && type === "aws_sqs_queue") {
      const queue = own("name");
      return queue === undefined ? undefined : `https://sqs.${this.app.region}.amazonaws.com/${SIZE_ACCOUNT_ID}/${queue}`;
    }
    if ((attribute === "name" || attribute === "id") && type === "aws_iam_role") return own("name");
    return own(attribute as string);
  }
}
