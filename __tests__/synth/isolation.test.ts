/**
 * Environments and regions in one account never touch each other's resources: two environments share no metric
 * series, alarm, dashboard input or policy grant; the same environment in two regions shares no account-global
 * name (IAM, Budgets) and no state.
 */
import { loadConfig } from "../../config/config";
import type { JsonObject, SynthesizedApp } from "../../lib/simulate/synthesized-app";
import { resolveString, SIMULATED_ACCOUNT_ID } from "../../lib/simulate/terraform-references";
import { synthStacks } from "../stacks/synth-helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACKS = ["state", "alerting", "processing", "dashboard"] as const;

/** The whole app of one configuration, with every `${...}` resolvable as deployed in the simulated account. */
function synthApp(env: Record<string, string>): SynthesizedApp {
  const synthesized = synthStacks(loadConfig(env));
  const stacks: Record<string, { id: string; directory: string; json: JsonObject }> = {};
  for (const id of STACKS) stacks[id] = { id, directory: id, json: JSON.parse(synthesized[id]) as JsonObject };
  return { outdir: "", stacks };
}

/** Every resource of a type in every stack, with its stack id. */
function resources(app: SynthesizedApp, type: string): { stackId: string; name: string; config: Json }[] {
  return STACKS.flatMap((stackId) =>
    Object.entries(((app.stacks[stackId]?.json as Json).resource?.[type] ?? {}) as Record<string, Json>).map(([name, config]) => ({
      stackId,
      name,
      config,
    })),
  );
}

/** A value with every reference resolved to what it is once deployed. */
function resolved(app: SynthesizedApp, stackId: string, value: unknown): string {
  return resolveString(app, stackId, typeof value === "string" ? value : JSON.stringify(value), `${stackId} test value`);
}

/** The custom metric series an app writes or reads: metric filters, alarms on them, and dashboard metrics. */
function customMetricSeries(app: SynthesizedApp): Set<string> {
  const series = new Set<string>();
  for (const filter of resources(app, "aws_cloudwatch_log_metric_filter")) {
    const t = filter.config.metric_transformation;
    series.add(`${t.namespace} ${t.name}`);
  }
  for (const alarm of resources(app, "aws_cloudwatch_metric_alarm")) {
    if (!String(alarm.config.namespace).startsWith("AWS/")) series.add(`${alarm.config.namespace} ${alarm.config.metric_name}`);
  }
  for (const dashboard of resources(app, "aws_cloudwatch_dashboard")) {
    const body = JSON.parse(resolved(app, dashboard.stackId, dashboard.config.dashboard_body));
    for (const widget of body.widgets) {
      for (const metric of widget.properties.metrics ?? []) {
        if (!String(metric[0]).startsWith("AWS/")) series.add(`${metric[0]} ${metric[1]}`);
      }
    }
  }
  return series;
}

/** Everything a dashboard reads: metric series with their dimensions, log groups of its queries, alarm ARNs. */
function dashboardInputs(app: SynthesizedApp): Set<string> {
  const inputs = new Set<string>();
  for (const dashboard of resources(app, "aws_cloudwatch_dashboard")) {
    const body = JSON.parse(resolved(app, dashboard.stackId, dashboard.config.dashboard_body));
    for (const widget of body.widgets) {
      for (const metric of widget.properties.metrics ?? []) inputs.add(JSON.stringify(metric.filter((part: unknown) => typeof part === "string")));
      for (const source of String(widget.properties.query ?? "").matchAll(/SOURCE '([^']+)'/g)) inputs.add(`log group ${source[1]}`);
      for (const alarm of widget.properties.alarms ?? []) inputs.add(alarm);
    }
  }
  return inputs;
}

/** IAM's ArnLike: `*` any run of characters, `?` one character, within one ARN component-free string. */
function arnLike(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return regex.test(arn);
}

/** The values of every condition on `variable` in the app's policy documents, resolved. */
function conditionValues(app: SynthesizedApp, variable: string): string[] {
  const values: string[] = [];
  for (const stackId of STACKS) {
    const documents = ((app.stacks[stackId]?.json as Json).data?.aws_iam_policy_document ?? {}) as Record<string, Json>;
    for (const document of Object.values(documents)) {
      for (const statement of document.statement ?? []) {
        for (const condition of statement.condition ?? []) {
          if (condition.variable === variable) values.push(...condition.values.map((v: string) => resolved(app, stackId, v)));
        }
      }
    }
  }
  return values;
}

function intersection<T>(a: Iterable<T>, b: Set<T>): T[] {
  return [...a].filter((item) => b.has(item));
}

describe("two environments in one account", () => {
  // `prod` and `prod-eu`: the second name starts with the first, the case a name prefix cannot tell apart.
  // Each watches its own application's log group (a group two environments both list is the user's choice).
  const common = { AWS_REGION: "eu-west-1", LOG_MONITOR_SILENCE_ALARM_MINUTES: "30" };
  const prod = synthApp({ ...common, LOG_MONITOR_ENV: "prod", LOG_MONITOR_LOG_GROUPS: "/ecs/orders" });
  const prodEu = synthApp({ ...common, LOG_MONITOR_ENV: "prod-eu", LOG_MONITOR_LOG_GROUPS: "/ecs/orders-eu" });

  it("write, alarm on and chart no common custom metric series", () => {
    const a = customMetricSeries(prod);
    const b = customMetricSeries(prodEu);
    // The error count, and the processor's alert figures (embedded metric format, charted by the dashboard).
    expect([...a].sort()).toEqual([
      "LogMonitoring/prod AlertsMuted",
      "LogMonitoring/prod AlertsPublished",
      "LogMonitoring/prod AlertsSuppressed",
      "LogMonitoring/prod ErrorCount",
      "LogMonitoring/prod IncidentsWritten",
    ]);
    expect(intersection(a, b)).toEqual([]);
  });

  it("share no alarm name and no dashboard input", () => {
    const names = (app: SynthesizedApp) => new Set(resources(app, "aws_cloudwatch_metric_alarm").map((a) => a.config.alarm_name as string));
    expect(intersection(names(prod), names(prodEu))).toEqual([]);
    expect(intersection(dashboardInputs(prod), dashboardInputs(prodEu))).toEqual([]);
  });

  it("admit only their own alarms and budget to the key and topic, and only their own log groups to the key", () => {
    const alarmArns = (app: SynthesizedApp) =>
      resources(app, "aws_cloudwatch_metric_alarm").map((a) => `arn:aws:cloudwatch:eu-west-1:${SIMULATED_ACCOUNT_ID}:alarm:${a.config.alarm_name}`);
    const logGroupArns = (app: SynthesizedApp) =>
      resources(app, "aws_cloudwatch_log_group").map((g) => `arn:aws:logs:eu-west-1:${SIMULATED_ACCOUNT_ID}:log-group:${g.config.name}`);
    for (const [self, other] of [
      [prod, prodEu],
      [prodEu, prod],
    ] as const) {
      const sourceArns = conditionValues(self, "aws:SourceArn");
      const logsArns = conditionValues(self, "kms:EncryptionContext:aws:logs:arn");
      // Each admits all of its own...
      for (const arn of alarmArns(self)) expect(sourceArns.some((p) => arnLike(p, arn))).toBe(true);
      for (const arn of logGroupArns(self)) expect(logsArns.some((p) => arnLike(p, arn))).toBe(true);
      // ...and none of the other environment's.
      expect(alarmArns(other).filter((arn) => sourceArns.some((p) => arnLike(p, arn)))).toEqual([]);
      expect(logGroupArns(other).filter((arn) => logsArns.some((p) => arnLike(p, arn)))).toEqual([]);
    }
  });

  it("would fail this check with a name-prefix wildcard (the check can fail)", () => {
    // The pattern the project used before: `log-monitor-prod-*` admits `log-monitor-prod-eu-errors`.
    const prefixPattern = `arn:aws:cloudwatch:eu-west-1:${SIMULATED_ACCOUNT_ID}:alarm:log-monitor-prod-*`;
    expect(arnLike(prefixPattern, `arn:aws:cloudwatch:eu-west-1:${SIMULATED_ACCOUNT_ID}:alarm:log-monitor-prod-eu-errors`)).toBe(true);
  });
});

describe("one environment in two regions of one account", () => {
  const common = {
    LOG_MONITOR_ENV: "prod",
    LOG_MONITOR_STATE_BUCKET: "acme-terraform-state",
    LOG_MONITOR_STATE_REGION: "us-east-1",
    LOG_MONITOR_MONTHLY_BUDGET_USD: "100",
  };
  const virginia = synthApp({ ...common, AWS_REGION: "us-east-1" });
  const ireland = synthApp({ ...common, AWS_REGION: "eu-west-1" });

  /** Names that are global to an account: IAM roles and their policies, budgets, S3 buckets. */
  function globalNames(app: SynthesizedApp): Set<string> {
    const names = new Set<string>();
    for (const [type, attribute] of [
      ["aws_iam_role", "name"],
      ["aws_iam_role_policy", "name"],
      ["aws_budgets_budget", "name"],
      ["aws_s3_bucket", "bucket"],
    ] as const) {
      for (const resource of resources(app, type)) names.add(`${type} ${resolved(app, resource.stackId, resource.config[attribute])}`);
    }
    return names;
  }

  /** Where each stack keeps its state: S3 keys in the shared bucket, and local state files. */
  function stateLocations(app: SynthesizedApp): Set<string> {
    const locations = new Set<string>();
    for (const stackId of STACKS) {
      const backend = (app.stacks[stackId]?.json as Json).terraform.backend;
      if (backend.s3) locations.add(`s3://${backend.s3.bucket}/${backend.s3.key}`);
      if (backend.local) locations.add(`local ${backend.local.path}`);
    }
    return locations;
  }

  it("share no IAM role, policy, budget or bucket name", () => {
    const a = globalNames(virginia);
    expect([...a].filter((name) => name.startsWith("aws_iam_role ")).sort()).toEqual([
      "aws_iam_role log-monitor-prod-log-processor-us-east-1",
      "aws_iam_role log-monitor-prod-test-emitter-us-east-1",
      "aws_iam_role log-monitor-prod-triage-widget-us-east-1",
    ]);
    expect(intersection(a, globalNames(ireland))).toEqual([]);
  });

  it("share no state, in the shared bucket or on disk", () => {
    const a = stateLocations(virginia);
    expect(a.size).toBe(STACKS.length);
    expect(intersection(a, stateLocations(ireland))).toEqual([]);
  });
});
