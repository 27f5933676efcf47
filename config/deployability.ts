/**
 * Checks that refuse at synth what AWS would refuse at apply: values each within its own pattern that the APIs
 * still refuse, alone or together (a key in another region, a chat channel in a partition without Chatbot, a function
 * policy over Lambda's quota). Called by `loadConfig`; every error names the variable.
 */
import { ChatChannel } from "./chat-channels";
import { ConfigurationError } from "./config-error";
import { logsInvokeStatementId, ACCOUNT_WIDE_STATEMENT_ID, resourceName } from "./naming";
import { partitionOfRegion } from "./regions";

/**
 * Refuses a `LOG_MONITOR_ALERT_EMAILS` that is set to something but lists no address (`,`): a monitor that notifies
 * nobody, silently. An empty value is the same as unset.
 */
export function checkEmailList(value: string | undefined): void {
  if (value === undefined || value.trim() === "") return;
  const entries = value.split(",").filter((part) => part.trim() !== "");
  if (entries.length === 0) {
    throw new ConfigurationError("LOG_MONITOR_ALERT_EMAILS", value, "lists no address: give addresses separated by commas, or unset it");
  }
}

/**
 * Chat needs AWS Chatbot (Amazon Q Developer in chat applications), which is offered in the aws partition only: its
 * API is served in us-east-2, us-west-2, eu-west-1 and ap-southeast-1 (AWS General Reference, "Amazon Q Developer in
 * chat applications endpoints and quotas"; Chatbot API Reference, "Welcome"), its supported regions are all commercial
 * (Administrator Guide, "Regions and quotas for Amazon Q Developer in chat applications"), and its API model accepts
 * only `arn:aws:` role and topic ARNs (botocore chatbot/2017-10-11 service-2.json, shape Arn). GovCloud and China
 * credentials cannot create a configuration.
 */
export function checkChatPartition(region: string, channels: readonly ChatChannel[]): void {
  if (channels.length === 0) return;
  const partition = partitionOfRegion(region);
  if (partition === "aws") return;
  const variable = channels.some((channel) => channel.kind === "slack") ? "LOG_MONITOR_SLACK_CHANNELS" : "LOG_MONITOR_TEAMS_CHANNELS";
  const count = channels.filter((channel) => (variable === "LOG_MONITOR_SLACK_CHANNELS" ? channel.kind === "slack" : channel.kind === "teams")).length;
  throw new ConfigurationError(
    variable,
    `${count} channel${count === 1 ? "" : "s"}`,
    `cannot be configured in ${region}: AWS Chatbot (Amazon Q Developer in chat applications) is not offered in the ${partition} partition; unset the chat variables, or use email`,
  );
}

const KMS_ARN_PARTS = /^arn:([^:]+):kms:([^:]+):(\d{12}):key\//;

/**
 * Refuses a `LOG_MONITOR_KMS_KEY_ARN` in another partition, region or account than the deployment: SNS, SQS,
 * DynamoDB, Kinesis and CloudWatch Logs encrypt only with a key of their own region (a multi-Region key is used through
 * its replica's ARN in that region), and the account is known only when `LOG_MONITOR_ACCOUNT_ID` names it.
 */
export function checkKmsKeyLocation(arn: string | undefined, region: string, accountId: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const parts = KMS_ARN_PARTS.exec(arn);
  if (parts === null) return arn;
  const [, partition, keyRegion, keyAccount] = parts as unknown as [string, string, string, string];
  const expectedPartition = partitionOfRegion(region);
  if (keyRegion !== region) {
    throw new ConfigurationError(
      "LOG_MONITOR_KMS_KEY_ARN",
      arn,
      `is a key in ${keyRegion}, but the stacks deploy to ${region}: the services encrypt only with a key of their own region (for a multi-Region key, give its replica in ${region})`,
    );
  }
  if (partition !== expectedPartition) {
    throw new ConfigurationError("LOG_MONITOR_KMS_KEY_ARN", arn, `has the partition ${partition}, but ${region} is in ${expectedPartition}`);
  }
  if (accountId !== undefined && keyAccount !== accountId) {
    throw new ConfigurationError(
      "LOG_MONITOR_KMS_KEY_ARN",
      arn,
      `is a key of account ${keyAccount}, but the stacks deploy to ${accountId} (LOG_MONITOR_ACCOUNT_ID); use a key of that account`,
    );
  }
  return arn;
}

/**
 * The most a function can reserve in an account at Lambda's default concurrency quota: "Concurrent executions:
 * 1,000" (Lambda Developer Guide, "Lambda quotas"), less the 100 that must stay unreserved ("You can reserve
 * concurrency for as many functions as you like, as long as you leave at least 100 simultaneous executions unreserved
 * for functions that aren't configured with a per-function limit": Lambda API Reference, PutFunctionConcurrency;
 * Developer Guide, "Managing Lambda reserved concurrency").
 */
export const RESERVED_CONCURRENCY_MAX = 1000 - 100;

/** Refuses a reservation no account at the default quota can make. */
export function checkReservedConcurrency(value: number): number {
  if (value > RESERVED_CONCURRENCY_MAX) {
    throw new ConfigurationError(
      "LOG_MONITOR_RESERVED_CONCURRENCY",
      String(value),
      `is above ${RESERVED_CONCURRENCY_MAX}: Lambda's default concurrency quota is 1,000 per region and 100 must stay unreserved (Lambda quotas; PutFunctionConcurrency)`,
    );
  }
  return value;
}

/**
 * Lambda's quota on a function's resource-based policy: "Function resource-based policy: 20 KB" (Lambda Developer
 * Guide, "Lambda quotas", Function configuration, deployment, and execution), counted here as 20,480 bytes of the
 * policy as Lambda stores it.
 */
export const FUNCTION_POLICY_MAX_BYTES = 20 * 1024;

/** A placeholder account id: every account id has 12 digits, so sizes computed with it are exact. */
export const SIZE_ACCOUNT_ID = "123456789012";

/** What the processor's resource policy depends on. */
export interface LogsInvokePolicyInput {
  readonly environment: string;
  readonly region: string;
  readonly logGroupNames: readonly string[];
  readonly transport: "direct" | "kinesis";
  readonly accountWide: boolean;
}

/**
 * The log processor's resource-based policy as Lambda stores it after the stack's AddPermission calls (one statement
 * per subscribed log group, the test emitter's first, plus the account-wide one), as GetPolicy returns it:
 * `{"Version","Id":"default","Statement":[{"Sid","Effect","Principal":{"Service"},"Action","Resource",
 * "Condition":{"StringEquals":{"AWS:SourceAccount"},"ArnLike":{"AWS:SourceArn"}}}]}`. Empty with the Kinesis
 * transport, which adds no permission.
 */
export function logsInvokePolicy(input: LogsInvokePolicyInput, accountId: string = SIZE_ACCOUNT_ID): Record<string, unknown> {
  const partition = partitionOfRegion(input.region) ?? "aws";
  const functionArn = `arn:${partition}:lambda:${input.region}:${accountId}:function:${resourceName(input, "log-processor")}`;
  const groupArn = (name: string) => `arn:${partition}:logs:${input.region}:${accountId}:log-group:${name}`;
  const statement = (sid: string, sourceArn: string) => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "logs.amazonaws.com" },
    Action: "lambda:InvokeFunction",
    Resource: functionArn,
    Condition: { StringEquals: { "AWS:SourceAccount": accountId }, ArnLike: { "AWS:SourceArn": sourceArn } },
  });
  const statements =
    input.transport === "kinesis"
      ? []
      : [
          statement(logsInvokeStatementId(), `${groupArn(`/aws/lambda/${resourceName(input, "test-emitter")}`)}:*`),
          ...input.logGroupNames.map((name) => statement(logsInvokeStatementId(name), `${groupArn(name)}:*`)),
          ...(input.accountWide ? [statement(ACCOUNT_WIDE_STATEMENT_ID, groupArn("*"))] : []),
        ];
  return { Version: "2012-10-17", Id: "default", Statement: statements };
}

/** The size in bytes of {@link logsInvokePolicy}, compact JSON in UTF-8. */
export function logsInvokePolicyBytes(input: LogsInvokePolicyInput): number {
  return Buffer.byteLength(JSON.stringify(logsInvokePolicy(input)), "utf8");
}

/** Refuses a group list whose invoke permissions would exceed {@link FUNCTION_POLICY_MAX_BYTES}. */
export function checkLogsInvokePolicySize(input: LogsInvokePolicyInput): void {
  const bytes = logsInvokePolicyBytes(input);
  if (bytes > FUNCTION_POLICY_MAX_BYTES) {
    throw new ConfigurationError(
      "LOG_MONITOR_LOG_GROUPS",
      `${input.logGroupNames.length} log groups`,
      `make the log processor's resource policy ${bytes} bytes; Lambda allows ${FUNCTION_POLICY_MAX_BYTES} (20 KB): list fewer or shorter groups, or use LOG_MONITOR_TRANSPORT=kinesis, which needs no invoke permission per group`,
    );
  }
}

/**
 * With the direct transport, the longest log group names that fit the processor's resource policy for a number of
 * groups, in the worst case: the longest environment name (16 characters), the region whose ARNs are longest, and
 * account-wide monitoring on. The figures of docs/deployable-configurations.md ("How many log groups").
 */
export function groupLimitTable(counts: readonly number[] = [49, 45, 40, 35, 30, 25, 20]): { count: number; longestName: number }[] {
  const regions = ["aws", "aws-cn", "aws-us-gov"].flatMap((partition) =>
    (partition === "aws" ? ["ap-southeast-5", "us-east-1"] : partition === "aws-cn" ? ["cn-northwest-1"] : ["us-gov-west-1"]),
  );
  return counts.map((count) => {
    let longestName = 0;
    for (let length = 1; length <= 512; length++) {
      const names = Array.from({ length: count }, (_, i) => `/${String(i).padStart(2, "0")}${"x".repeat(Math.max(0, length - 3))}`.slice(0, Math.max(length, 3)));
      const fits = regions.every(
        (region) => logsInvokePolicyBytes({ environment: "abcdefghijklmnop", region, logGroupNames: names, transport: "direct", accountWide: true }) <= FUNCTION_POLICY_MAX_BYTES,
      );
      if (!fits) break;
      longestName = length;
    }
    return { count, longestName };
  });
}
