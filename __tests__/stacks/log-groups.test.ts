import { ERROR_EVENTS_METRIC_PATTERNS, LOG_PROCESSOR_SUBSCRIPTION_PATTERN } from "../../config/filter-patterns";
import { synthStacks, testConfig } from "./synth-helpers";

type Json = Record<string, any>;

/** Every resource and data source of a stack, as "type.name" -> its JSON. */
function addresses(stack: Json): Map<string, string> {
  const all = new Map<string, string>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries<Json>(stack[kind] ?? {})) {
      for (const [name, body] of Object.entries(byName)) all.set(`${kind === "data" ? "data." : ""}${type}.${name}`, JSON.stringify(body));
    }
  }
  return all;
}

const synth = (groups: string) => {
  const s = synthStacks(testConfig({ LOG_MONITOR_LOG_GROUPS: groups }));
  return { alerting: JSON.parse(s.alerting), processing: JSON.parse(s.processing), dashboard: JSON.parse(s.dashboard) };
};

describe("monitoring the user's own log groups (LOG_MONITOR_LOG_GROUPS)", () => {
  const one = synth("/aws/lambda/orders");
  const two = synth("/aws/lambda/orders,/ecs/payments");

  it("counts each group's error events into the same metric, so the one alarm covers it", () => {
    const filters = two.alerting.resource.aws_cloudwatch_log_metric_filter;
    expect(filters["ecs-payments-error-metric-filter-json"]).toMatchObject({
      log_group_name: "/ecs/payments",
      pattern: ERROR_EVENTS_METRIC_PATTERNS.json,
      metric_transformation: { namespace: "LogMonitoring/test", name: "ErrorCount", value: "1", unit: "Count" },
    });
    expect(filters["ecs-payments-error-metric-filter-text"]).toMatchObject({ log_group_name: "/ecs/payments", pattern: ERROR_EVENTS_METRIC_PATTERNS.text });
    expect(two.alerting.resource.aws_cloudwatch_metric_alarm["error-alarm"].alarm_description).toContain("or one of 2 monitored log groups");
  });

  it("subscribes the processor to each group, with an invoke permission scoped to that group, after it exists", () => {
    expect(two.processing.data.aws_cloudwatch_log_group["ecs-payments-log-group"]).toEqual({ name: "/ecs/payments" });
    expect(two.processing.resource.aws_lambda_permission["ecs-payments-logs-invoke-permission"]).toMatchObject({
      statement_id: "CloudWatchLogsInvoke-ecs-payments",
      principal: "logs.amazonaws.com",
      source_arn: "${data.aws_cloudwatch_log_group.ecs-payments-log-group.arn}:*",
      source_account: "${data.aws_caller_identity.current-account.account_id}",
    });
    expect(two.processing.resource.aws_cloudwatch_log_subscription_filter["ecs-payments-log-processor-subscription"]).toEqual({
      name: "log-monitor-test-log-processor",
      log_group_name: "/ecs/payments",
      filter_pattern: LOG_PROCESSOR_SUBSCRIPTION_PATTERN,
      destination_arn: "${aws_lambda_function.log-processor.arn}",
      depends_on: ["aws_lambda_permission.ecs-payments-logs-invoke-permission"],
    });
  });

  it("lists every group in the dashboard's recent-errors query", () => {
    const body = JSON.parse(two.dashboard.resource.aws_cloudwatch_dashboard["overview-dashboard"].dashboard_body);
    const query: string = body.widgets.find((w: Json) => w.type === "log").properties.query;
    expect(query).toMatch(/^SOURCE '\$\{[^}]+\}' \| SOURCE '\/aws\/lambda\/orders' \| SOURCE '\/ecs\/payments' \| fields /);
  });

  it("adding a group adds only that group's resources and changes nothing else but the dashboard's query", () => {
    for (const stack of ["alerting", "processing"] as const) {
      const before = addresses(one[stack]);
      const after = addresses(two[stack]);
      const changed = [...before].filter(([address, body]) => after.get(address) !== body).map(([address]) => address);
      const added = [...after.keys()].filter((address) => !before.has(address)).sort();
      const allowedChange = stack === "alerting" ? ["aws_cloudwatch_metric_alarm.error-alarm"] : [];
      expect({ stack, changed }).toEqual({ stack, changed: allowedChange });
      expect({ stack, added }).toEqual({
        stack,
        added:
          stack === "alerting"
            ? ["aws_cloudwatch_log_metric_filter.ecs-payments-error-metric-filter-json", "aws_cloudwatch_log_metric_filter.ecs-payments-error-metric-filter-text"]
            : [
                "aws_cloudwatch_log_subscription_filter.ecs-payments-log-processor-subscription",
                "aws_lambda_permission.ecs-payments-logs-invoke-permission",
                "data.aws_cloudwatch_log_group.ecs-payments-log-group",
              ],
      });
    }
  });

  it("uses a group's own patterns when given, with one metric filter instead of the pair", () => {
    const custom = synth(JSON.stringify([{ name: "/ecs/payments", metricPattern: "[ts, level=ERROR, ...]", subscriptionPattern: "?ERROR ?panic" }]));
    const filters = custom.alerting.resource.aws_cloudwatch_log_metric_filter;
    expect(Object.keys(filters).filter((k) => k.startsWith("ecs-payments"))).toEqual(["ecs-payments-error-metric-filter-custom"]);
    expect(filters["ecs-payments-error-metric-filter-custom"].pattern).toBe("[ts, level=ERROR, ...]");
    expect(custom.processing.resource.aws_cloudwatch_log_subscription_filter["ecs-payments-log-processor-subscription"].filter_pattern).toBe("?ERROR ?panic");
  });
});
