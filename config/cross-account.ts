/**
 * Cross-account delivery (issue 13): which accounts may send their log events to this environment's CloudWatch Logs
 * destination (`LOG_MONITOR_SOURCE_ACCOUNTS` or `LOG_MONITOR_ORGANIZATION_ID`), the central (recipient) account the
 * destination lives in (`LOG_MONITOR_ACCOUNT_ID`), and, when synthesizing the `source` stack for one source account,
 * that account (`LOG_MONITOR_SOURCE_ACCOUNT_ID`). Parsed by `loadConfig` (config.ts), the only reader of the
 * environment.
 */
import { ConfigurationError } from "./config-error";
import type { KnownVariable } from "./variables";

/** Who may subscribe to the destination. */
export type SourceScope =
  | {
      /** Exactly these accounts (`LOG_MONITOR_SOURCE_ACCOUNTS`). */
      readonly kind: "accounts";
      /** 12-digit account ids, sorted, each once. */
      readonly accountIds: readonly string[];
    }
  | {
      /** Every account of one AWS Organizations organization (`LOG_MONITOR_ORGANIZATION_ID`, via `aws:PrincipalOrgID`). */
      readonly kind: "organization";
      /** The organization's id, `o-` and 10 to 32 lower-case letters or digits. */
      readonly organizationId: string;
    };

/** The cross-account settings of one environment (absent when neither variable is set). */
export interface CrossAccountSettings {
  /** The accounts (or organization) the destination policy admits. */
  readonly sources: SourceScope;
  /** The central account, which holds the destination, the stream and the processor (`LOG_MONITOR_ACCOUNT_ID`). */
  readonly centralAccountId: string;
  /**
   * The source account the `source` stack is synthesized for (`LOG_MONITOR_SOURCE_ACCOUNT_ID`): its provider refuses
   * any other account's credentials and its state key carries the id. @default no `source` stack
   */
  readonly sourceAccountId?: string;
}

/**
 * AWS Organizations API reference, Organization, `Id`: "The regex pattern for an organization ID string requires
 * "o-" followed by from 10 to 32 lowercase letters or digits." (pattern `^o-[a-z0-9]{10,32}$`).
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * PutDestinationPolicy, `accessPolicy`: "An IAM policy document that authorizes cross-account users to deliver their
 * log events to the associated destination. This can be up to 5120 bytes." (CloudWatch Logs API reference,
 * PutDestinationPolicy, https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestinationPolicy.html).
 */
export const DESTINATION_POLICY_MAX_BYTES = 5120;

const ACCOUNTS_VARIABLE = "LOG_MONITOR_SOURCE_ACCOUNTS";
const ORGANIZATION_VARIABLE = "LOG_MONITOR_ORGANIZATION_ID";
const SOURCE_ACCOUNT_VARIABLE = "LOG_MONITOR_SOURCE_ACCOUNT_ID";

/** What the cross-account parser needs from the rest of the configuration. */
export interface CrossAccountContext {
  /** `LOG_MONITOR_TRANSPORT`, already parsed. */
  readonly transport: "direct" | "kinesis";
  /** `LOG_MONITOR_ACCOUNT_ID`, already parsed. */
  readonly accountId: string | undefined;
  /** The region, for the destination policy's size check. */
  readonly region: string;
  /** The environment, for the destination's name in the size check. */
  readonly environment: string;
}

/**
 * Reads the cross-account settings; `undefined` when neither `LOG_MONITOR_SOURCE_ACCOUNTS` nor
 * `LOG_MONITOR_ORGANIZATION_ID` is set. A destination delivers into a Kinesis stream, so cross-account needs
 * `LOG_MONITOR_TRANSPORT=kinesis`; the source stacks compute the destination's ARN from the central account's id,
 * so it needs `LOG_MONITOR_ACCOUNT_ID`.
 * @throws ConfigurationError naming the variable and the value.
 */
export function parseCrossAccount(read: (name: KnownVariable) => string | undefined, context: CrossAccountContext): CrossAccountSettings | undefined {
  const accountsValue = read(ACCOUNTS_VARIABLE);
  const organizationValue = read(ORGANIZATION_VARIABLE);
  const sourceAccountValue = read(SOURCE_ACCOUNT_VARIABLE);
  if (accountsValue === undefined && organizationValue === undefined) {
    if (sourceAccountValue !== undefined) {
      throw new ConfigurationError(SOURCE_ACCOUNT_VARIABLE, sourceAccountValue, `is set but neither ${ACCOUNTS_VARIABLE} nor ${ORGANIZATION_VARIABLE} is: the source stack sends to a cross-account destination`);
    }
    return undefined;
  }
  if (accountsValue !== undefined && organizationValue !== undefined) {
    throw new ConfigurationError(ORGANIZATION_VARIABLE, organizationValue, `is set together with ${ACCOUNTS_VARIABLE}: admit either a list of accounts or one organization, not both`);
  }
  const variable = accountsValue !== undefined ? ACCOUNTS_VARIABLE : ORGANIZATION_VARIABLE;
  const value = accountsValue ?? organizationValue ?? "";
  if (context.transport !== "kinesis") {
    throw new ConfigurationError(variable, value, "needs LOG_MONITOR_TRANSPORT=kinesis: a CloudWatch Logs destination delivers into a Kinesis data stream, not to a function");
  }
  if (context.accountId === undefined) {
    throw new ConfigurationError(variable, value, "needs LOG_MONITOR_ACCOUNT_ID, the central account that holds the destination (source stacks build the destination's ARN from it)");
  }
  const centralAccountId = context.accountId;
  const sources: SourceScope = accountsValue !== undefined ? { kind: "accounts", accountIds: parseAccountList(accountsValue, centralAccountId) } : { kind: "organization", organizationId: parseOrganizationId(value) };

  const destinationArn = destinationArnOf(centralAccountId, context.region, destinationNameOf(context.environment));
  const bytes = Buffer.byteLength(JSON.stringify(destinationAccessPolicy(destinationArn, sources)), "utf8");
  if (bytes > DESTINATION_POLICY_MAX_BYTES) {
    throw new ConfigurationError(
      variable,
      sources.kind === "accounts" ? `${sources.accountIds.length} accounts` : value,
      `make a destination policy of ${bytes} bytes; CloudWatch Logs accepts at most ${DESTINATION_POLICY_MAX_BYTES} (admit an organization with ${ORGANIZATION_VARIABLE} instead)`,
    );
  }

  let sourceAccountId: string | undefined;
  if (sourceAccountValue !== undefined) {
    if (!ACCOUNT_ID.test(sourceAccountValue)) throw new ConfigurationError(SOURCE_ACCOUNT_VARIABLE, sourceAccountValue, "is not an AWS account id (12 digits)");
    if (sourceAccountValue === centralAccountId) {
      throw new ConfigurationError(SOURCE_ACCOUNT_VARIABLE, sourceAccountValue, "is the central account (LOG_MONITOR_ACCOUNT_ID), whose log groups the processing stack subscribes directly");
    }
    if (sources.kind === "accounts" && !sources.accountIds.includes(sourceAccountValue)) {
      throw new ConfigurationError(SOURCE_ACCOUNT_VARIABLE, sourceAccountValue, `is not in ${ACCOUNTS_VARIABLE}: the destination policy would refuse its subscription`);
    }
    sourceAccountId = sourceAccountValue;
  }
  return { sources, centralAccountId, ...(sourceAccountId === undefined ? {} : { sourceAccountId }) };
}

function parseAccountList(value: string, centralAccountId: string): string[] {
  const ids = new Set<string>();
  for (const entry of value.split(",").map((part) => part.trim())) {
    if (entry === "") throw new ConfigurationError(ACCOUNTS_VARIABLE, value, "has an empty entry (two commas, or a comma at an end)");
    if (!ACCOUNT_ID.test(entry)) throw new ConfigurationError(ACCOUNTS_VARIABLE, entry, "is not an AWS account id (12 digits)");
    if (ids.has(entry)) throw new ConfigurationError(ACCOUNTS_VARIABLE, entry, "is listed more than once");
    if (entry === centralAccountId) {
      throw new ConfigurationError(ACCOUNTS_VARIABLE, entry, "is the central account (LOG_MONITOR_ACCOUNT_ID), whose log groups the processing stack subscribes directly; list only other accounts");
    }
    ids.add(entry);
  }
  return [...ids].sort();
}

function parseOrganizationId(value: string): string {
  if (!ORGANIZATION_ID.test(value)) {
    throw new ConfigurationError(ORGANIZATION_VARIABLE, value, "is not an AWS Organizations organization id (o- followed by 10 to 32 lower-case letters or digits)");
  }
  return value;
}

/** The destination's name: `log-monitor-<env>-destination` (regional, per account). */
export function destinationNameOf(environment: string): string {
  return `log-monitor-${environment}-destination`;
}

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`): source stacks build the destination ARN with it. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The destination's ARN, `arn:<partition>:logs:<region>:<central account>:destination:<name>`: what a source account
 * subscribes to. Known at synthesis, so a source stack never reads the central stack's state (another account's).
 */
export function destinationArnOf(centralAccountId: string, region: string, destinationName: string): string {
  return `arn:${partitionOf(region)}:logs:${region}:${centralAccountId}:destination:${destinationName}`;
}

/**
 * The destination policy (PutDestinationPolicy's `accessPolicy`). Sources: CloudWatch Logs User Guide,
 * "Cross-account cross-Region subscriptions using Amazon Kinesis Data Streams", Step 2 "Create a destination" (the
 * access policy with `Principal: {"AWS": <sender account>}` and `logs:PutSubscriptionFilter`), its account-level
 * variant ("Cross-account cross-Region account-level subscriptions using Amazon Kinesis Data Streams", which adds
 * `logs:PutAccountPolicy`), and "Updating an existing destination access policy" (`Principal: "*"` with
 * `aws:PrincipalOrgID`). Both actions are admitted: a source account subscribes its log groups one by one
 * (`PutSubscriptionFilter`) or all at once (`PutAccountPolicy`, with `LOG_MONITOR_ACCOUNT_WIDE=true`).
 */
export function destinationAccessPolicy(destinationArn: string, sources: SourceScope): Record<string, unknown> {
  const actions = ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"];
  const statement =
    sources.kind === "accounts"
      ? { Sid: "ListedSourceAccountsSubscribe", Effect: "Allow", Principal: { AWS: [...sources.accountIds] }, Action: actions, Resource: destinationArn }
      : {
          Sid: "OrganizationAccountsSubscribe",
          Effect: "Allow",
          Principal: "*",
          Action: actions,
          Resource: destinationArn,
          Condition: { StringEquals: { "aws:PrincipalOrgID": [sources.organizationId] } },
        };
  return { Version: "2012-10-17", Statement: [statement] };
}
