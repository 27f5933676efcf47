/**
 * Generated configurations for the deployability proof: environments of `LOG_MONITOR_*` and `AWS_REGION` variables,
 * biased to the limits (the longest names, the most groups, long shared group-name prefixes, every region of every
 * partition, each option on and off), plus a few values synth must refuse. fast-check shrinks a failing one.
 */
import * as fc from "fast-check";
import { ALL_REGIONS, partitionOfRegion, REGIONS_BY_PARTITION } from "../../config/regions";

/** `arbitrary`'s value in `present` of `present + absent` cases, else `undefined`. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: present });
}

/** One generated configuration: the environment synth reads. */
export type GeneratedEnv = Readonly<Record<string, string>>;

const ENVIRONMENT = fc.oneof(
  { arbitrary: fc.constant<string | undefined>(undefined), weight: 2 },
  { arbitrary: fc.constant("abcdefghijklmnop"), weight: 2 },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/), weight: 4 },
);

/** A valid log group name of the given length. */
const groupName = (stem: string, length: number) => (stem.length >= length ? stem : `${stem}${"x".repeat(length - stem.length)}`);

const LOG_GROUPS = fc.oneof(
  { arbitrary: fc.constant<string[]>([]), weight: 3 },
  // A few short names.
  { arbitrary: fc.uniqueArray(fc.stringMatching(/^\/[a-z]{1,10}\/[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 5 }), weight: 2 },
  // Groups sharing a long prefix: their statement ids must still differ once cut to 100 characters.
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 90, max: 480 }), fc.integer({ min: 2, max: 8 }))
      .map(([prefixLength, count]) => Array.from({ length: count }, (_, i) => `${groupName("/aws/lambda/", prefixLength)}-${i}`)),
    weight: 3,
  },
  // Many groups, at name lengths around where the processor's resource policy crosses Lambda's 20 KB (with the direct
  // transport; docs/deployable-configurations.md): accepted below, refused above.
  {
    arbitrary: fc
      .constantFrom([49, 8, 16], [40, 40, 62], [30, 170, 205], [20, 470, 512])
      .chain(([count, min, max]) => fc.integer({ min: min as number, max: max as number }).map((length) => [count as number, length] as const))
      .map(([count, length]) => Array.from({ length: count }, (_, i) => groupName(`/g/${String(i).padStart(2, "0")}-`, length))),
    weight: 3,
  },
);

/** One value synth must refuse, set on top of an otherwise valid configuration. */
const REFUSED_VALUE = fc.constantFrom<readonly [string, string]>(
  ["LOG_MONITOR_ENV", ""],
  ["LOG_MONITOR_ENV", "Prod"],
  ["LOG_MONITOR_ALERT_EMAILS", ","],
  ["LOG_MONITOR_METRIC_NAMESPACE", "Log:Monitoring"],
  ["LOG_MONITOR_METRIC_NAME", "Error$Count*"],
  ["LOG_MONITOR_RESERVED_CONCURRENCY", "901"],
  ["AWS_REGION", "us-east-9"],
  ["LOG_MONITOR_LOG_GROUPS", Array.from({ length: 50 }, (_, i) => `/app/${i}`).join(",")],
);

const SLACK = fc.oneof(
  { arbitrary: fc.constant("T07EA123LEP/C07EZ1ABC23"), weight: 3 },
  { arbitrary: fc.constant(`${"T".repeat(255)}/${"C".repeat(255)}`), weight: 1 },
  { arbitrary: fc.constant("T07EA123LEP/C07EZ1ABC23,T07EA123LEP/C0PAGES01:critical"), weight: 2 },
);
const TEAMS = fc.constant("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/19:ab12cd34ef@thread.tacv2/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
const EMAILS = fc.constantFrom(
  "oncall@example.com",
  "first.last@corp.com,first-last@corp.com",
  "oncall@example.com,pager@example.com:critical,first.last@corp.com,first-last@corp.com:critical",
);
const METRIC_NAMESPACE = fc.constantFrom("LogMonitoring", "Acme/Payments #1", "x".repeat(200));
const METRIC_NAME = fc.constantFrom("ErrorCount", "Errors per minute", "E".repeat(255));

/** A KMS key ARN in the region (or, to be refused, another region). */
const kmsKey = (region: string, elsewhere: boolean) => {
  const partition = partitionOfRegion(region) ?? "aws";
  const keyRegion = elsewhere ? ((REGIONS_BY_PARTITION[partition] ?? []).find((r) => r !== region) ?? region) : region;
  return `arn:${partition}:kms:${keyRegion}:123456789012:key/0c8a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b`;
};

/** Generated configurations. */
export function configurationArbitrary(): fc.Arbitrary<GeneratedEnv> {
  return fc
    .record(
      {
        region: fc.constantFrom(...ALL_REGIONS),
        environment: ENVIRONMENT,
        logGroups: LOG_GROUPS,
        jsonGroups: fc.boolean(),
        silenceMinutes: fc.option(fc.constantFrom(5, 60, 1440), { nil: undefined }),
        transport: fc.constantFrom("direct", "kinesis"),
        accountWide: fc.boolean(),
        slack: sometimes(SLACK, 1, 1),
        teams: sometimes(TEAMS, 1, 2),
        emails: fc.option(EMAILS, { nil: undefined }),
        budget: fc.option(fc.constantFrom("25", "1000000"), { nil: undefined }),
        quietNotices: fc.boolean(),
        // Now and then a key of another region (refused).
        kms: sometimes(fc.constantFrom(false, false, false, true), 1, 2),
        reserved: fc.option(fc.constantFrom(1, 900), { nil: undefined }),
        refused: sometimes(REFUSED_VALUE, 1, 4),
        metricNamespace: fc.option(METRIC_NAMESPACE, { nil: undefined }),
        metricName: fc.option(METRIC_NAME, { nil: undefined }),
        stateBucket: fc.option(fc.constant("acme-terraform-state"), { nil: undefined }),
        accountId: fc.option(fc.constant("123456789012"), { nil: undefined }),
        // Cross-account delivery (needs the Kinesis transport and the account id; refused otherwise).
        crossAccount: sometimes(
          fc.constantFrom(
            { LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,222222222222" },
            { LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111", LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111" },
            { LOG_MONITOR_ORGANIZATION_ID: "o-a1b2c3d4e5" },
            { LOG_MONITOR_ORGANIZATION_ID: `o-${"z".repeat(32)}`, LOG_MONITOR_SOURCE_ACCOUNT_ID: "333333333333" },
          ),
          1,
          3,
        ),
        exclusions: sometimes(fc.constantFrom("/aws/lambda/noisy-*", "/ecs/batch,/aws/lambda/tmp-*"), 1, 2),
        kinesisBatch: sometimes(fc.tuple(fc.constantFrom(1, 100, 10000), fc.constantFrom(0, 5, 300)), 1, 2),
        boundary: sometimes(fc.constant("permissions-boundary"), 1, 3),
        retentionDays: sometimes(fc.constantFrom(1, 30, 3653), 1, 2),
        incidentTtlDays: sometimes(fc.constantFrom(1, 3650), 1, 3),
        suppressionMinutes: sometimes(fc.constantFrom(1, 1440), 1, 3),
        maxAlerts: sometimes(fc.constantFrom(1, 100), 1, 3),
        realtimeOff: fc.boolean(),
        deletionProtection: sometimes(fc.constantFrom("true", "false"), 1, 3),
        // On-call paging: a plain name, a hierarchy, and a name near SSM's 1011 characters with the longest ARN prefix.
        pager: sometimes(fc.constantFrom("pager-endpoint", "/log-monitor/prod/pager-endpoint", `/${"p".repeat(950)}`), 1, 3),
      },
      { requiredKeys: ["region", "environment", "logGroups", "jsonGroups", "transport", "accountWide", "quietNotices", "realtimeOff"] },
    )
    .map((c) => {
      const env: Record<string, string> = { AWS_REGION: c.region };
      if (c.environment !== undefined) env.LOG_MONITOR_ENV = c.environment;
      if (c.logGroups.length > 0) env.LOG_MONITOR_LOG_GROUPS = c.jsonGroups ? JSON.stringify(c.logGroups) : c.logGroups.join(",");
      if (c.silenceMinutes !== undefined && c.logGroups.length > 0) env.LOG_MONITOR_SILENCE_ALARM_MINUTES = String(c.silenceMinutes);
      if (c.transport === "kinesis") env.LOG_MONITOR_TRANSPORT = "kinesis";
      if (c.accountWide) env.LOG_MONITOR_ACCOUNT_WIDE = "true";
      // Chat outside the aws partition is refused (Chatbot is not offered there): set it there only now and then.
      const chatAllowed = partitionOfRegion(c.region) === "aws" || c.refused !== undefined;
      if (c.slack !== undefined && chatAllowed) env.LOG_MONITOR_SLACK_CHANNELS = c.slack;
      if (c.teams !== undefined && chatAllowed) env.LOG_MONITOR_TEAMS_CHANNELS = c.teams;
      if (c.emails !== undefined) env.LOG_MONITOR_ALERT_EMAILS = c.emails;
      if (c.budget !== undefined && (c.emails === undefined || c.emails.split(",").length <= 10)) env.LOG_MONITOR_MONTHLY_BUDGET_USD = c.budget;
      if (c.quietNotices) env.LOG_MONITOR_QUIET_NOTICES = "true";
      if (c.kms !== undefined) env.LOG_MONITOR_KMS_KEY_ARN = kmsKey(c.region, c.kms);
      if (c.reserved !== undefined) env.LOG_MONITOR_RESERVED_CONCURRENCY = String(c.reserved);
      if (c.metricNamespace !== undefined) env.LOG_MONITOR_METRIC_NAMESPACE = c.metricNamespace;
      if (c.metricName !== undefined) env.LOG_MONITOR_METRIC_NAME = c.metricName;
      if (c.stateBucket !== undefined) env.LOG_MONITOR_STATE_BUCKET = c.stateBucket;
      if (c.accountId !== undefined) env.LOG_MONITOR_ACCOUNT_ID = c.accountId;
      if (c.crossAccount !== undefined && c.transport === "kinesis") {
        Object.assign(env, c.crossAccount, { LOG_MONITOR_ACCOUNT_ID: "123456789012" });
        // A source stack subscribes the source account's groups: it needs groups or account-wide monitoring.
        if (env.LOG_MONITOR_SOURCE_ACCOUNT_ID !== undefined && c.logGroups.length === 0) env.LOG_MONITOR_ACCOUNT_WIDE = "true";
      }
      if (c.exclusions !== undefined && env.LOG_MONITOR_ACCOUNT_WIDE === "true") env.LOG_MONITOR_EXCLUDE_LOG_GROUPS = c.exclusions;
      if (c.kinesisBatch !== undefined) {
        env.LOG_MONITOR_KINESIS_BATCH_SIZE = String(c.kinesisBatch[0]);
        env.LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS = String(c.kinesisBatch[1]);
      }
      if (c.boundary !== undefined) env.LOG_MONITOR_PERMISSIONS_BOUNDARY = `arn:${partitionOfRegion(c.region) ?? "aws"}:iam::123456789012:policy/${c.boundary}`;
      if (c.pager !== undefined) env.LOG_MONITOR_PAGER_ENDPOINT_PARAMETER = c.pager;
      if (c.retentionDays !== undefined) env.LOG_MONITOR_LOG_RETENTION_DAYS = String(c.retentionDays);
      if (c.incidentTtlDays !== undefined) env.LOG_MONITOR_INCIDENT_TTL_DAYS = String(c.incidentTtlDays);
      if (c.suppressionMinutes !== undefined) env.LOG_MONITOR_SUPPRESSION_MINUTES = String(c.suppressionMinutes);
      if (c.maxAlerts !== undefined) env.LOG_MONITOR_MAX_ALERTS_PER_DELIVERY = String(c.maxAlerts);
      if (c.realtimeOff && !c.quietNotices) env.LOG_MONITOR_REALTIME_ALERTS = "false";
      if (c.deletionProtection !== undefined) env.LOG_MONITOR_DELETION_PROTECTION = c.deletionProtection;
      if (c.refused !== undefined) env[c.refused[0]] = c.refused[1];
      return env;
    });
}
