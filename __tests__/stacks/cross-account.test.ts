import { DESTINATION_POLICY_MAX_BYTES } from "../../config/cross-account";
import { LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../../config/filter-patterns";
import { onlyResource, resourcesOf, synthStacks, testConfig, TerraformJson } from "./synth-helpers";

const CENTRAL = "999999999999";
const SOURCES = "111111111111,222222222222";
const DESTINATION_ARN = `arn:aws:logs:eu-west-1:${CENTRAL}:destination:log-monitor-test-destination`;
const CROSS_ACCOUNT = { LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_ACCOUNT_ID: CENTRAL, LOG_MONITOR_SOURCE_ACCOUNTS: SOURCES };
type Statement = { sid: string; actions: string[]; resources?: string[]; principals?: unknown; condition?: unknown };
const statements = (json: TerraformJson, document: string): Statement[] => json.data.aws_iam_policy_document[document].statement;

// Sources: CloudWatch Logs User Guide, "Cross-account cross-Region subscriptions using Amazon Kinesis Data Streams",
// Step 1 "Create a destination" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateDestination.html);
// its account-level variant (CreateDestination-Account.html: logs:PutAccountPolicy in the access policy);
// "Step 2: Update the existing destination access policy" (Cross-Account-Log_Subscription-Update-policy-Account.html:
// Principal "*" with aws:PrincipalOrgID); API reference PutDestination and PutDestinationPolicy.
describe("cross-account destination (LOG_MONITOR_SOURCE_ACCOUNTS)", () => {
  const processing: TerraformJson = JSON.parse(synthStacks(testConfig(CROSS_ACCOUNT)).processing);

  it("puts a destination in front of the Kinesis stream, created after its role may put records", () => {
    expect(onlyResource(processing, "aws_cloudwatch_log_destination")).toEqual({
      name: "log-monitor-test-destination",
      target_arn: "${aws_kinesis_stream.log-stream.arn}",
      role_arn: "${aws_iam_role.log-destination-role.arn}",
      depends_on: ["aws_iam_role_policy.log-destination-role-policy"],
    });
  });

  it("lets CloudWatch Logs assume the destination role only for the listed senders and the recipient, in this region", () => {
    expect(statements(processing, "log-destination-assume-role-policy")).toEqual([
      {
        sid: "CloudWatchLogsAssumesRole",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }],
        condition: [
          {
            test: "StringLike",
            variable: "aws:SourceArn",
            values: ["arn:aws:logs:eu-west-1:111111111111:*", "arn:aws:logs:eu-west-1:222222222222:*", `arn:aws:logs:eu-west-1:${CENTRAL}:*`],
          },
        ],
      },
    ]);
    expect(statements(processing, "log-destination-role-policy-document").map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ["PutSourceDeliveriesIntoStream", ["kinesis:PutRecord"], ["${aws_kinesis_stream.log-stream.arn}"]],
      ["EncryptSourceDeliveries", ["kms:GenerateDataKey"], [expect.stringContaining("kms_key")]],
    ]);
    expect(resourcesOf(processing, "aws_iam_role")["log-destination-role"].name).toBe("log-monitor-test-logs-receiver-eu-west-1");
  });

  it("admits exactly the listed accounts' PutSubscriptionFilter and PutAccountPolicy on this destination", () => {
    const policy = onlyResource(processing, "aws_cloudwatch_log_destination_policy");
    expect(policy.destination_name).toBe("${aws_cloudwatch_log_destination.log-destination.name}");
    expect(JSON.parse(policy.access_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListedSourceAccountsSubscribe",
          Effect: "Allow",
          Principal: { AWS: ["111111111111", "222222222222"] },
          Action: ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"],
          Resource: DESTINATION_ARN,
        },
      ],
    });
  });

  it("admits an organization through aws:PrincipalOrgID, with the role open to the organization's CloudWatch Logs in the region (aws:SourceOrgID)", () => {
    const org: TerraformJson = JSON.parse(
      synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_ACCOUNT_ID: CENTRAL, LOG_MONITOR_ORGANIZATION_ID: "o-a1b2c3d4e5" })).processing,
    );
    const statement = JSON.parse(onlyResource(org, "aws_cloudwatch_log_destination_policy").access_policy).Statement;
    expect(statement).toEqual([
      {
        Sid: "OrganizationAccountsSubscribe",
        Effect: "Allow",
        Principal: "*",
        Action: ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"],
        Resource: DESTINATION_ARN,
        Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } },
      },
    ]);
    // CloudWatch Logs User Guide, "Confused deputy prevention": aws:SourceOrgID for any account of an organization.
    expect(statements(org, "log-destination-assume-role-policy")[0]?.condition).toEqual([
      { test: "StringLike", variable: "aws:SourceArn", values: ["arn:aws:logs:eu-west-1:*:*"] },
      { test: "StringEquals", variable: "aws:SourceOrgID", values: ["o-a1b2c3d4e5"] },
    ]);
  });

  it("keeps the destination policy within PutDestinationPolicy's 5120 bytes for the longest list configuration accepts", () => {
    // The largest account list that configuration accepts synthesizes a policy at most 5120 bytes long.
    let accepted = 0;
    for (let n = 1; n < 400; n++) {
      const ids = Array.from({ length: n }, (_, i) => String(100000000000 + i)).join(",");
      try {
        testConfig({ ...CROSS_ACCOUNT, LOG_MONITOR_SOURCE_ACCOUNTS: ids });
        accepted = n;
      } catch {
        break;
      }
    }
    const ids = Array.from({ length: accepted }, (_, i) => String(100000000000 + i)).join(",");
    const json: TerraformJson = JSON.parse(synthStacks(testConfig({ ...CROSS_ACCOUNT, LOG_MONITOR_SOURCE_ACCOUNTS: ids })).processing);
    const bytes = Buffer.byteLength(onlyResource(json, "aws_cloudwatch_log_destination_policy").access_policy, "utf8");
    expect(bytes).toBeLessThanOrEqual(DESTINATION_POLICY_MAX_BYTES);
    // One more account (15 bytes: a quoted id and a comma) would not fit.
    expect(bytes + 15).toBeGreaterThan(DESTINATION_POLICY_MAX_BYTES);
  });

  it("creates no destination and no source stack without cross-account settings", () => {
    const plain = synthStacks(testConfig({ LOG_MONITOR_TRANSPORT: "kinesis" }));
    expect(resourcesOf(JSON.parse(plain.processing), "aws_cloudwatch_log_destination")).toEqual({});
    expect(plain.source).toBeUndefined();
    expect(synthStacks(testConfig(CROSS_ACCOUNT)).source).toBeUndefined();
  });
});

describe("source stack (LOG_MONITOR_SOURCE_ACCOUNT_ID)", () => {
  const synthesized = synthStacks(
    testConfig({ ...CROSS_ACCOUNT, LOG_MONITOR_SOURCE_ACCOUNT_ID: "222222222222", LOG_MONITOR_LOG_GROUPS: "/ecs/payments", LOG_MONITOR_ACCOUNT_WIDE: "true", LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/aws/lambda/chatty" }),
  );
  const source: TerraformJson = JSON.parse(synthesized.source ?? "{}");

  it("synthesizes the same source stack every time (snapshot; the matchers below state what matters)", () => {
    expect(synthesized.source).toMatchSnapshot();
  });

  it("deploys only with the source account's credentials, keeping its state under source-<account>", () => {
    expect(source.provider.aws[0].allowed_account_ids).toEqual(["222222222222"]);
    expect(source.terraform.backend.s3.key).toBe("log-monitor/eu-west-1/test/source-222222222222.tfstate");
    // The central stacks stay pinned to the central account.
    expect(JSON.parse(synthesized.processing).provider.aws[0].allowed_account_ids).toEqual([CENTRAL]);
  });

  it("subscribes the account's log groups to the central destination, whose ARN it computes (no remote state)", () => {
    expect(onlyResource(source, "aws_cloudwatch_log_subscription_filter")).toEqual({
      name: "log-monitor-test-log-processor",
      log_group_name: "/ecs/payments",
      filter_pattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
      destination_arn: DESTINATION_ARN,
      distribution: "Random",
    });
    expect(source.data.terraform_remote_state).toBeUndefined();
    expect(source.data.aws_cloudwatch_log_group["ecs-payments-log-group"].name).toBe("/ecs/payments");
  });

  it("adds an account-level subscription filter policy to the destination, leaving out the filtered and excluded groups", () => {
    const policy = onlyResource(source, "aws_cloudwatch_log_account_policy");
    expect(policy).toMatchObject({
      policy_name: "log-monitor-test-errors",
      policy_type: "SUBSCRIPTION_FILTER_POLICY",
      scope: "ALL",
      selection_criteria: 'LogGroupName NOT IN ["/aws/lambda/chatty", "/ecs/payments"]',
    });
    expect(JSON.parse(policy.policy_document)).toEqual({ DestinationArn: DESTINATION_ARN, FilterPattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN, Distribution: "Random" });
    expect(resourcesOf(source, "aws_iam_role")).toEqual({});
  });

  // CloudWatch Logs User Guide, "Step 2: (Only if using an organization) Create an IAM role"
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateSubscriptionFilter-IAMrole.html): with an
  // organization, the filter names a role of the sender account that may put log events into the subscribed groups.
  it("with an organization, gives each subscription a sender role that may only put log events into the subscribed groups", () => {
    const org: TerraformJson = JSON.parse(
      synthStacks(
        testConfig({ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_ACCOUNT_ID: CENTRAL, LOG_MONITOR_ORGANIZATION_ID: "o-a1b2c3d4e5", LOG_MONITOR_SOURCE_ACCOUNT_ID: "333333333333", LOG_MONITOR_LOG_GROUPS: "/ecs/payments" }),
      ).source ?? "{}",
    );
    expect(onlyResource(org, "aws_cloudwatch_log_subscription_filter")).toMatchObject({ role_arn: "${aws_iam_role.sender-role.arn}", depends_on: ["aws_iam_role_policy.sender-role-policy"] });
    expect(statements(org, "sender-role-policy-document").map((s) => [s.actions, s.resources])).toEqual([
      [["logs:PutLogEvents"], ["arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/payments:*"]],
    ]);
    expect(org.provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
  });
});
