import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { synthStacks, testConfig } from "../stacks/synth-helpers";
import { RULES, Stack, statementsOf } from "./rules";

/**
 * Checkov checks the project knowingly does not satisfy, each with its reason; the exemptions table of
 * docs/security.md lists the same ids. A new finding must be fixed or documented here and there.
 */
const DOCUMENTED_EXEMPTIONS: Record<string, string> = {
  CKV_AWS_116: "the test emitter is invoked synchronously by a person; a dead-letter queue would never receive anything",
  CKV_AWS_117: "the functions call only AWS APIs; a VPC would add NAT cost and cold-start time for no isolation gain",
  CKV_AWS_272: "code signing needs a signing profile the user's organisation owns; the bundle is built from this repository",
  CKV_AWS_173: "environment variables hold only resource names and settings, no secrets; Lambda encrypts them at rest with an AWS key",
  CKV_AWS_338: "log retention is 30 days by default and configurable (LOG_MONITOR_LOG_RETENTION_DAYS); a year is the user's choice",
  CKV_AWS_111: "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; '*' is the only resource",
  CKV_AWS_356: "the same X-Ray statement: AWS accepts only '*' as its resource",
  CKV_AWS_115:
    "reserved concurrency is opt-in (LOG_MONITOR_RESERVED_CONCURRENCY): an account on the new-account quota of 10 refuses any reservation",
};

const configurations: [string, Record<string, string>][] = [
  ["the test configuration", {}],
  ["no configuration at all (dev, local state)", { LOG_MONITOR_ENV: "dev", LOG_MONITOR_STATE_BUCKET: "", LOG_MONITOR_ALERT_EMAILS: "" }],
  [
    "every option set",
    {
      LOG_MONITOR_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:policy/Boundary",
      LOG_MONITOR_SILENCE_ALARM_MINUTES: "60",
      LOG_MONITOR_REALTIME_ALERTS: "false",
      LOG_MONITOR_LOG_GROUPS: '["/aws/lambda/orders", {"name": "/ecs/payments", "subscriptionPattern": "?ERROR ?FATAL"}]',
    },
  ],
  ["a user-supplied key", { LOG_MONITOR_KMS_KEY_ARN: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }],
  [
    "the Kinesis transport, account-wide, with exclusions (issue 13)",
    {
      LOG_MONITOR_TRANSPORT: "kinesis",
      LOG_MONITOR_ACCOUNT_WIDE: "true",
      LOG_MONITOR_LOG_GROUPS: "/ecs/payments",
      LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/chatty,/aws/lambda/noisy-*",
    },
  ],
  ["account-wide with the direct transport (issue 13)", { LOG_MONITOR_ACCOUNT_WIDE: "true" }],
  [
    "cross-account: listed source accounts, with a source stack (issue 13)",
    {
      LOG_MONITOR_TRANSPORT: "kinesis",
      LOG_MONITOR_ACCOUNT_ID: "999999999999",
      LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,222222222222",
      LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111",
      LOG_MONITOR_LOG_GROUPS: "/ecs/payments",
      LOG_MONITOR_ACCOUNT_WIDE: "true",
    },
  ],
  [
    "cross-account: an organization, with a source stack (issue 13)",
    {
      LOG_MONITOR_TRANSPORT: "kinesis",
      LOG_MONITOR_ACCOUNT_ID: "999999999999",
      LOG_MONITOR_ORGANIZATION_ID: "o-a1b2c3d4e5",
      LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111",
      LOG_MONITOR_LOG_GROUPS: "/ecs/payments",
    },
  ],
  [
    "Slack and Teams channels, a critical-only email and quiet notices (issue 12)",
    {
      LOG_MONITOR_ALERT_EMAILS: "team@example.com,oncall@example.com:critical",
      LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23,T07EA123LEP/C0PAGES01:critical",
      LOG_MONITOR_TEAMS_CHANNELS: "9a3c1f52-7b1e-4a5e-9d2c-0f1e2d3c4b5a/19:ab12cd34ef@thread.tacv2/01234567-89ab-cdef-0123-456789abcdef",
      LOG_MONITOR_QUIET_NOTICES: "true",
      LOG_MONITOR_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:policy/Boundary",
    },
  ],
];

describe.each(configurations)("policy rules over every stack, with %s", (_label, overrides) => {
  const synthesized = synthStacks(testConfig(overrides));
  const stacks: [string, Stack][] = [
    ...(["state", "alerting", "processing", "dashboard"] as const).map((id): [string, Stack] => [id, JSON.parse(synthesized[id])]),
    ...(synthesized.source === undefined ? [] : [["source", JSON.parse(synthesized.source)] as [string, Stack]]),
  ];

  it.each(RULES.map((rule) => [rule.name, rule] as const))("%s", (_name, rule) => {
    const violations = stacks.flatMap(([id, stack]) => rule.check(stack).map((v) => `${id}: ${v}`));
    expect(violations).toEqual([]);
  });

  it("finds IAM statements to check in the stacks that have roles (the rules are not vacuous)", () => {
    const count = (id: string) => statementsOf(stacks.find(([s]) => s === id)![1]).length;
    expect(count("alerting")).toBeGreaterThan(3);
    expect(count("processing")).toBeGreaterThan(5);
  });
});

/** A minimal stack that breaks exactly one rule, per rule; each must be caught. */
const FAILING_FIXTURES: Record<string, Stack> = {
  "every Allow statement names its actions: no '*' or 'service:*', no wildcards": {
    data: { aws_iam_policy_document: { p: { statement: [{ effect: "Allow", actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:::table/t"] }] } } },
  },
  "every Allow statement names its resources: '*' only for actions with no resource-level permissions, or in a key policy": {
    data: { aws_iam_policy_document: { p: { statement: [{ effect: "Allow", actions: ["dynamodb:PutItem"], resources: ["*"] }] } } },
  },
  "no resource policy allows a public ('*') principal": {
    resource: {
      aws_sqs_queue_policy: {
        q: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:::q" }] }) },
      },
    },
  },
  "no AWS-managed admin or full-access policy is attached": {
    resource: { aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } },
  },
  "SNS topics are encrypted with a customer-managed key (alias/aws/sns drops alarm notifications)": {
    resource: { aws_sns_topic: { t: { kms_master_key_id: "alias/aws/sns" } } },
  },
  "SQS queues are encrypted with KMS": { resource: { aws_sqs_queue: { q: {} } } },
  "DynamoDB tables are encrypted with a customer-managed key and keep point-in-time recovery": {
    resource: { aws_dynamodb_table: { t: { server_side_encryption: { enabled: true, kms_key_arn: "k" } } } },
  },
  "KMS keys rotate and have an explicit key policy": { resource: { aws_kms_key: { k: { policy: "{}", enable_key_rotation: false } } } },
  "every log group has a retention and a KMS key": { resource: { aws_cloudwatch_log_group: { g: { kms_key_id: "k" } } } },
  "every function traces with X-Ray and logs to a log group of its stack": {
    resource: {
      aws_cloudwatch_log_group: { g: {} },
      aws_lambda_function: { f: { logging_config: { log_group: "${aws_cloudwatch_log_group.g.name}" } } },
    },
  },
  "asynchronously invoked functions keep failed events (dead-letter queue or on-failure destination)": {
    resource: {
      aws_lambda_function: { f: {} },
      aws_lambda_permission: { p: { principal: "logs.amazonaws.com", function_name: "${aws_lambda_function.f.function_name}" } },
    },
  },
  "Lambda invoke permissions for AWS services are scoped by source ARN and source account": {
    resource: { aws_lambda_permission: { p: { principal: "logs.amazonaws.com", source_arn: "arn:aws:logs:::log-group:g:*" } } },
  },
  "resource policies of the topic and the queue deny requests without TLS": {
    data: { aws_iam_policy_document: { d: { statement: [{ effect: "Allow", actions: ["sns:Publish"], resources: ["t"] }] } } },
    resource: { aws_sns_topic_policy: { p: { policy: "${data.aws_iam_policy_document.d.json}" } } },
  },
  "S3 buckets are versioned, encrypted, private, TLS-only, and expire old versions": {
    resource: {
      aws_s3_bucket: { b: {} },
      aws_s3_bucket_versioning: { v: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: "Suspended" } } },
    },
  },
  "the provider tags every resource with project, environment and managed-by": {
    provider: { aws: [{ default_tags: [{ tags: { Project: "log-monitor" } }] }] },
  },
};

describe("each policy rule can fail", () => {
  it("has a failing fixture for every rule", () => {
    expect(Object.keys(FAILING_FIXTURES).sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  it.each(RULES.map((rule) => [rule.name, rule] as const))("%s", (name, rule) => {
    expect(rule.check(FAILING_FIXTURES[name]).length).toBeGreaterThan(0);
  });
});

describe("documented exemptions", () => {
  it("lists every Checkov exemption, with its reason, in docs/security.md", () => {
    const security = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "security.md"), "utf8");
    expect(security).toContain("**Documented exemptions**");
    for (const id of Object.keys(DOCUMENTED_EXEMPTIONS)) {
      expect({ id, documented: security.includes(id) }).toEqual({ id, documented: true });
    }
  });

  it("never exempts a check a rule enforces", () => {
    const enforced = new Set(RULES.flatMap((r) => r.checkov));
    expect(Object.keys(DOCUMENTED_EXEMPTIONS).filter((id) => enforced.has(id) && id !== "CKV_AWS_116")).toEqual([]);
  });
});

// CloudWatch Logs User Guide, "Step 2: Update the existing destination access policy": an organization is admitted
// with Principal "*" and aws:PrincipalOrgID. Without that condition the same destination policy is public.
describe("a cross-account destination policy", () => {
  const publicRule = RULES.find((rule) => rule.name === "no resource policy allows a public ('*') principal");
  const destinationPolicy = (statement: Record<string, unknown>): Stack => ({
    resource: {
      aws_cloudwatch_log_destination_policy: {
        d: { access_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["logs:PutSubscriptionFilter"], Resource: "arn:aws:logs:eu-west-1:999999999999:destination:d", ...statement }] }) },
      },
    },
  });

  it("is public with Principal '*' and no organization condition", () => {
    expect(publicRule?.check(destinationPolicy({}))).toEqual(["aws_cloudwatch_log_destination_policy.d (no sid): Allow for principal *"]);
    expect(publicRule?.check(destinationPolicy({ Condition: { StringEquals: { "aws:PrincipalOrgID": ["*"] } } }))).toHaveLength(1);
  });

  it("is not public when aws:PrincipalOrgID limits it to one organization", () => {
    expect(publicRule?.check(destinationPolicy({ Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } }))).toEqual([]);
  });
});
