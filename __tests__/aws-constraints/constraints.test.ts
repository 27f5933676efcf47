import { loadConfig } from "../../config/config";
import { logsInvokePolicyBytes } from "../../config/deployability";
import { accountGlobalNames, checkApp, constraintProblem, SynthesizedApp } from "../../lib/aws-constraints/check";
import { ARGUMENT_RULES } from "../../lib/aws-constraints/fields";
import { QUOTAS } from "../../lib/aws-constraints/quotas";
import { synthesizeConfig } from "../../lib/aws-constraints/synthesize";

const rule = (resource: string, argument: string) => {
  const found = ARGUMENT_RULES.find((r) => r.resource === resource && r.argument === argument);
  if (found === undefined) throw new Error(`no rule for ${resource}.${argument}`);
  return found;
};

describe("the constraint table, at each documented edge", () => {
  it("Lambda AddPermission StatementId: 1 to 100 of [a-zA-Z0-9-_] (botocore lambda/2015-03-31, StatementId)", () => {
    const { kind, constraint } = rule("aws_lambda_permission", "statement_id");
    expect(constraintProblem(kind, "a".repeat(100), constraint)).toBeUndefined();
    expect(constraintProblem(kind, "a".repeat(101), constraint)).toContain("at most 100");
    expect(constraintProblem(kind, "", constraint)).toContain("at least 1");
    expect(constraintProblem(kind, "CloudWatchLogsInvoke-a.b", constraint)).toContain("does not match");
  });

  it("PutMetricFilter metricNamespace and metricName: [^:*$]*, at most 255 (botocore logs/2014-03-28)", () => {
    const namespace = rule("aws_cloudwatch_log_metric_filter", "metric_transformation.namespace");
    const name = rule("aws_cloudwatch_log_metric_filter", "metric_transformation.name");
    expect(constraintProblem(namespace.kind, "Log:Monitoring", namespace.constraint)).toContain("does not match");
    expect(constraintProblem(name.kind, "Error$Count*", name.constraint)).toContain("does not match");
    expect(constraintProblem(namespace.kind, "x".repeat(255), namespace.constraint)).toBeUndefined();
    expect(constraintProblem(namespace.kind, "x".repeat(256), namespace.constraint)).toContain("at most 255");
  });

  it("Chatbot ConfigurationName: 1 to 128 of [A-Za-z0-9-_] (botocore chatbot/2017-10-11)", () => {
    const { kind, constraint } = rule("aws_chatbot_slack_channel_configuration", "configuration_name");
    expect(constraintProblem(kind, "a".repeat(128), constraint)).toBeUndefined();
    expect(constraintProblem(kind, "a".repeat(129), constraint)).toContain("at most 128");
    expect(constraintProblem(kind, "a.b", constraint)).toContain("does not match");
  });

  it("PutMetricAlarm AlarmActions: at most 5 (botocore cloudwatch/2010-08-01, ResourceList)", () => {
    const { kind, constraint } = rule("aws_cloudwatch_metric_alarm", "alarm_actions");
    expect(constraintProblem(kind, ["1", "2", "3", "4", "5"], constraint)).toBeUndefined();
    expect(constraintProblem(kind, ["1", "2", "3", "4", "5", "6"], constraint)).toContain("at most 5");
  });

  it("IAM role name: 1 to 64 of [\\w+=,.@-] (botocore iam/2010-05-08, roleNameType); event source mapping record age -1 to 604,800", () => {
    const role = rule("aws_iam_role", "name");
    expect(constraintProblem(role.kind, "r".repeat(64), role.constraint)).toBeUndefined();
    expect(constraintProblem(role.kind, "r".repeat(65), role.constraint)).toContain("at most 64");
    const age = rule("aws_lambda_event_source_mapping", "maximum_record_age_in_seconds");
    expect(constraintProblem(age.kind, -1, age.constraint)).toBeUndefined();
    expect(constraintProblem(age.kind, -2, age.constraint)).toContain("below -1");
    expect(constraintProblem(age.kind, 604801, age.constraint)).toContain("above 604800");
  });

  it("names a source for every rule and quota", () => {
    for (const r of ARGUMENT_RULES) expect(r.constraint.source.length).toBeGreaterThan(10);
    for (const q of Object.values(QUOTAS)) expect(q.source.length).toBeGreaterThan(10);
  });
});

describe("synthesized configurations against the table", () => {
  const groups = Array.from({ length: 49 }, (_, i) => `/aws/lambda/app-${String(i).padStart(2, "0")}`);
  const configurations: [string, Record<string, string>][] = [
    ["default", {}],
    [
      "production-like, 49 groups, silence alarms, chat, budget, quiet notices",
      {
        LOG_MONITOR_ENV: "prod",
        AWS_REGION: "eu-west-1",
        LOG_MONITOR_STATE_BUCKET: "acme-terraform-state",
        LOG_MONITOR_ALERT_EMAILS: "oncall@example.com,first.last@corp.com,first-last@corp.com,pager@example.com:critical",
        LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23,T07EA123LEP/C0PAGES01:critical",
        LOG_MONITOR_LOG_GROUPS: groups.join(","),
        LOG_MONITOR_SILENCE_ALARM_MINUTES: "15",
        LOG_MONITOR_MONTHLY_BUDGET_USD: "25",
        LOG_MONITOR_QUIET_NOTICES: "true",
        LOG_MONITOR_RESERVED_CONCURRENCY: "900",
      },
    ],
    [
      "GovCloud, Kinesis, account-wide, cross-account source",
      {
        AWS_REGION: "us-gov-west-1",
        LOG_MONITOR_TRANSPORT: "kinesis",
        LOG_MONITOR_ACCOUNT_WIDE: "true",
        LOG_MONITOR_ACCOUNT_ID: "111111111111",
        LOG_MONITOR_SOURCE_ACCOUNTS: "222222222222",
        LOG_MONITOR_SOURCE_ACCOUNT_ID: "222222222222",
      },
    ],
  ];
  const apps = new Map<string, SynthesizedApp>();
  const appOf = (name: string, env: Record<string, string>) => {
    if (!apps.has(name)) apps.set(name, synthesizeConfig(loadConfig(env, { readFile: () => undefined })));
    return apps.get(name) as SynthesizedApp;
  };

  it.each(configurations)("%s: every argument meets the table and every policy its quota", (name, env) => {
    const report = checkApp(appOf(name, env));
    expect(report.violations).toEqual([]);
    expect(report.checked).toBeGreaterThan(100);
  });

  it("measures the processor's resource policy from the JSON exactly as configuration computes it", () => {
    const [name, env] = configurations[1] as [string, Record<string, string>];
    const report = checkApp(appOf(name, env));
    const computed = logsInvokePolicyBytes({ environment: "prod", region: "eu-west-1", logGroupNames: groups, transport: "direct", accountWide: false });
    expect(report.sizes["lambda-policy:log-monitor-prod-log-processor"]).toBe(computed);
    expect(computed).toBeLessThanOrEqual(QUOTAS.lambdaFunctionPolicyBytes.limit);
  });

  it("keeps the chat guardrail far below IAM's 6,144 characters with 49 silence alarms (alarm-name patterns, not every ARN)", () => {
    const [name, env] = configurations[1] as [string, Record<string, string>];
    const size = checkApp(appOf(name, env)).sizes["iam-managed:log-monitor-prod-chat-guardrail-eu-west-1"];
    expect(size).toBeDefined();
    expect(size).toBeLessThan(1000);
  });

  it("finds a duplicate statement id and an oversized managed policy when they are there", () => {
    // Prepare: the production-like app with two permissions sharing an id and a guardrail of 6,145 characters.
    const [name, env] = configurations[1] as [string, Record<string, string>];
    const app = structuredClone(appOf(name, env));
    const processing = app.stacks["processing"] as Record<string, any>;
    const [first, second] = Object.values(processing.resource.aws_lambda_permission) as Record<string, unknown>[];
    (second as Record<string, unknown>).statement_id = (first as Record<string, unknown>).statement_id;
    const alerting = app.stacks["alerting"] as Record<string, any>;
    const statement = alerting.data.aws_iam_policy_document["chat-channel-policy-document"].statement[0];
    const base = checkApp(app).sizes["iam-managed:log-monitor-prod-chat-guardrail-eu-west-1"] as number;
    statement.resources = [...statement.resources, "x".repeat(6145 - base - 3)];
    // Act
    const report = checkApp(app);
    // Assess
    expect(report.sizes["iam-managed:log-monitor-prod-chat-guardrail-eu-west-1"]).toBe(6145);
    expect(report.violations.map((v) => v.argument)).toEqual(expect.arrayContaining(["statement_id", "iam-managed:log-monitor-prod-chat-guardrail-eu-west-1"]));
    statement.resources = statement.resources.slice(0, -1).concat("x".repeat(6144 - base - 3));
    expect(checkApp(app).violations.map((v) => v.argument)).not.toContain("iam-managed:log-monitor-prod-chat-guardrail-eu-west-1");
  });

  it("gives the same environment in another region, and another environment, none of its account-global names", () => {
    const [name, env] = configurations[1] as [string, Record<string, string>];
    const names = (app: SynthesizedApp) => accountGlobalNames(app).map((n) => `${n.kind}:${n.name}`);
    const here = names(appOf(name, env));
    const otherRegion = names(appOf(`${name} in eu-central-1`, { ...env, AWS_REGION: "eu-central-1" }));
    expect(here.filter((n) => otherRegion.includes(n))).toEqual([]);
    expect(here).toEqual(expect.arrayContaining(["dashboard:log-monitor-prod-overview-eu-west-1", "chatbot-configuration:log-monitor-prod-slack-T07EA123LEP-C07EZ1ABC23-eu-west-1"]));
  });
});
