import { lambdaResourcePolicy, PolicyConversionError, policyOfArgument } from "../../lib/authz/policy-documents";
import type { SynthesizedApp } from "../../lib/simulate/synthesized-app";
import { resourceAt, resolveString, SIMULATED_ACCOUNT_ID } from "../../lib/simulate/terraform-references";

const REGION = "eu-west-1";

/** One stack with a key, a topic policy, a function and its permission, written as CDKTF synthesizes them. */
function app(extraData: Record<string, unknown> = {}): SynthesizedApp {
  return {
    outdir: "/nowhere",
    stacks: {
      alerting: {
        id: "alerting",
        directory: "/nowhere/stacks/alerting",
        json: {
          provider: { aws: [{ region: REGION }] },
          data: {
            aws_caller_identity: { "current-account": {} },
            aws_partition: { "current-partition": {} },
            aws_cloudwatch_log_group: { orders: { name: "/aws/lambda/orders" } },
            aws_iam_policy_document: {
              "topic-policy": {
                statement: [
                  {
                    sid: "CloudWatchAlarmsPublish",
                    effect: "Allow",
                    principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
                    actions: ["sns:Publish"],
                    resources: ["${aws_sns_topic.alerts.arn}"],
                    condition: [
                      { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current-account.account_id}"] },
                      { test: "ArnLike", variable: "aws:SourceArn", values: ["${aws_cloudwatch_metric_alarm.errors.arn}"] },
                    ],
                  },
                  {
                    sid: "DenyWithoutTls",
                    effect: "Deny",
                    principals: [{ type: "*", identifiers: ["*"] }],
                    actions: ["sns:Publish"],
                    resources: ["${aws_sns_topic.alerts.arn}"],
                    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
                  },
                ],
              },
              ...extraData,
            },
          },
          resource: {
            aws_sns_topic: { alerts: { name: "log-monitor-test-alerts" } },
            aws_cloudwatch_metric_alarm: { errors: { alarm_name: "log-monitor-test-errors" } },
            aws_sns_topic_policy: { alerts: { arn: "${aws_sns_topic.alerts.arn}", policy: "${data.aws_iam_policy_document.topic-policy.json}" } },
            aws_lambda_function: { processor: { function_name: "log-monitor-test-log-processor" } },
            aws_lambda_permission: {
              "orders-invoke": {
                statement_id: "CloudWatchLogsInvoke-orders",
                action: "lambda:InvokeFunction",
                function_name: "${aws_lambda_function.processor.function_name}",
                principal: "logs.amazonaws.com",
                source_arn: "${data.aws_cloudwatch_log_group.orders.arn}:*",
                source_account: "${data.aws_caller_identity.current-account.account_id}",
              },
            },
            aws_budgets_budget: { monthly: { name: "log-monitor-test-monthly-cost" } },
            aws_kms_key: { key: { policy: '{"Version":"2012-10-17","Statement":[]}' } },
          },
        },
      },
    },
  };
}

describe("policy documents rebuilt from the synthesized JSON", () => {
  it("renders a data.aws_iam_policy_document as IAM JSON, references resolved, a bare * principal as \"*\"", () => {
    const synthesized = app();
    const policy = policyOfArgument(synthesized, resourceAt(synthesized, "alerting", "aws_sns_topic_policy", "alerts")!, "policy");
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com"] },
          Action: ["sns:Publish"],
          Resource: [`arn:aws:sns:${REGION}:${SIMULATED_ACCOUNT_ID}:log-monitor-test-alerts`],
          Condition: {
            StringEquals: { "aws:SourceAccount": [SIMULATED_ACCOUNT_ID] },
            ArnLike: { "aws:SourceArn": [`arn:aws:cloudwatch:${REGION}:${SIMULATED_ACCOUNT_ID}:alarm:log-monitor-test-errors`] },
          },
        },
        {
          Sid: "DenyWithoutTls",
          Effect: "Deny",
          Principal: "*",
          Action: ["sns:Publish"],
          Resource: [`arn:aws:sns:${REGION}:${SIMULATED_ACCOUNT_ID}:log-monitor-test-alerts`],
          Condition: { Bool: { "aws:SecureTransport": ["false"] } },
        },
      ],
    });
  });

  it("reads a literal JSON policy as is", () => {
    const synthesized = app();
    expect(policyOfArgument(synthesized, resourceAt(synthesized, "alerting", "aws_kms_key", "key")!, "policy")).toEqual({ Version: "2012-10-17", Statement: [] });
  });

  it("refuses two conditions with the same operator and key, which one JSON object cannot hold", () => {
    const synthesized = app({
      twice: {
        statement: [
          {
            actions: ["sns:Publish"],
            resources: ["*"],
            condition: [
              { test: "StringEquals", variable: "aws:SourceAccount", values: ["1"] },
              { test: "StringEquals", variable: "aws:SourceAccount", values: ["2"] },
            ],
          },
        ],
      },
    });
    const policyResource = { ...resourceAt(synthesized, "alerting", "aws_sns_topic_policy", "alerts")!, config: { policy: "${data.aws_iam_policy_document.twice.json}" } };
    expect(() => policyOfArgument(synthesized, policyResource, "policy")).toThrow(
      new PolicyConversionError("alerting/data.aws_iam_policy_document.twice statement 0", "condition StringEquals aws:SourceAccount is given twice"),
    );
  });

  it("builds a function's resource policy from its aws_lambda_permission resources, as Lambda's AddPermission does", () => {
    const functionArn = `arn:aws:lambda:${REGION}:${SIMULATED_ACCOUNT_ID}:function:log-monitor-test-log-processor`;
    expect(lambdaResourcePolicy(app(), functionArn, REGION, SIMULATED_ACCOUNT_ID)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudWatchLogsInvoke-orders",
          Effect: "Allow",
          Principal: { Service: "logs.amazonaws.com" },
          Action: "lambda:InvokeFunction",
          Resource: functionArn,
          Condition: {
            // The log group read by name: its ARN, from the data source, has no `:*` of its own.
            ArnLike: { "AWS:SourceArn": [`arn:aws:logs:${REGION}:${SIMULATED_ACCOUNT_ID}:log-group:/aws/lambda/orders:*`] },
            StringEquals: { "AWS:SourceAccount": [SIMULATED_ACCOUNT_ID] },
          },
        },
      ],
    });
    expect(lambdaResourcePolicy(app(), `${functionArn}-other`, REGION, SIMULATED_ACCOUNT_ID)).toBeUndefined();
  });

  it("resolves a budget's ARN as AWS forms it: global, no region", () => {
    expect(resolveString(app(), "alerting", "${aws_budgets_budget.monthly.arn}", "test")).toBe(
      `arn:aws:budgets::${SIMULATED_ACCOUNT_ID}:budget/log-monitor-test-monthly-cost`,
    );
  });
});
