import { ConfigurationError, loadConfig } from "../../config/config";

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is set, so synth works on a fresh machine", () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config).toEqual({
      region: "us-east-1",
      environment: "dev",
      stateBackend: { kind: "local" },
      alertEmails: [],
      criticalAlertEmails: [],
      chatChannels: [],
      metricNamespace: "LogMonitoring/dev",
      metricName: "ErrorCount",
      logRetentionDays: 30,
      incidentTtlDays: 30,
      realtimeAlerts: true,
      quietNotices: false,
      suppressionMinutes: 15,
      maxAlertsPerDelivery: 10,
      logGroups: [],
      deletionProtection: false,
      scale: {
        transport: "direct",
        kinesis: { batchSize: 100, batchingWindowSeconds: 5 },
        accountWide: false,
        excludeLogGroups: { names: [], prefixes: [] },
      },
    });
  });

  it("reads every variable", () => {
    // Act
    const config = loadConfig({
      AWS_REGION: "eu-central-1",
      LOG_MONITOR_ENV: "prod-2",
      LOG_MONITOR_STATE_BUCKET: "acme.tf-state",
      LOG_MONITOR_STATE_REGION: "us-west-2",
      LOG_MONITOR_ALERT_EMAILS: " ops@example.com ,, dev+alerts@example.co.uk ",
      LOG_MONITOR_METRIC_NAMESPACE: "Acme/Logs",
      LOG_MONITOR_METRIC_NAME: "Errors",
      LOG_MONITOR_LOG_RETENTION_DAYS: "365",
      LOG_MONITOR_INCIDENT_TTL_DAYS: "90",
      LOG_MONITOR_DELETION_PROTECTION: "false",
      LOG_MONITOR_REALTIME_ALERTS: "false",
      LOG_MONITOR_SUPPRESSION_MINUTES: "60",
      LOG_MONITOR_MAX_ALERTS_PER_DELIVERY: "25",
      LOG_MONITOR_KMS_KEY_ARN: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      LOG_MONITOR_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:policy/org/DeveloperBoundary",
      LOG_MONITOR_RESERVED_CONCURRENCY: "25",
      LOG_MONITOR_SILENCE_ALARM_MINUTES: "60",
      LOG_MONITOR_LOG_GROUPS: "/aws/lambda/orders",
      LOG_MONITOR_MONTHLY_BUDGET_USD: "25.50",
      LOG_MONITOR_ACCOUNT_ID: "123456789012",
      LOG_MONITOR_TRANSPORT: "kinesis",
      LOG_MONITOR_KINESIS_BATCH_SIZE: "500",
      LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS: "0",
      LOG_MONITOR_ACCOUNT_WIDE: "true",
      LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/chatty, /aws/lambda/noisy-*",
    });

    // Assess
    expect(config).toEqual({
      region: "eu-central-1",
      environment: "prod-2",
      stateBackend: { kind: "s3", bucket: "acme.tf-state", region: "us-west-2" },
      alertEmails: ["ops@example.com", "dev+alerts@example.co.uk"],
      criticalAlertEmails: [],
      chatChannels: [],
      metricNamespace: "Acme/Logs/prod-2",
      metricName: "Errors",
      logRetentionDays: 365,
      incidentTtlDays: 90,
      realtimeAlerts: false,
      quietNotices: false,
      suppressionMinutes: 60,
      maxAlertsPerDelivery: 25,
      kmsKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/org/DeveloperBoundary",
      processorReservedConcurrency: 25,
      silenceAlarmMinutes: 60,
      logGroups: [{ name: "/aws/lambda/orders" }],
      deletionProtection: false,
      monthlyBudgetUsd: 25.5,
      accountId: "123456789012",
      scale: {
        transport: "kinesis",
        kinesis: { batchSize: 500, batchingWindowSeconds: 0 },
        accountWide: true,
        excludeLogGroups: { names: ["/ecs/chatty"], prefixes: ["/aws/lambda/noisy-"] },
      },
    });
  });

  it("keeps the state bucket in the AWS region unless LOG_MONITOR_STATE_REGION says otherwise", () => {
    const config = loadConfig({ AWS_REGION: "ap-southeast-2", LOG_MONITOR_STATE_BUCKET: "my-state" });

    expect(config.stateBackend).toEqual({ kind: "s3", bucket: "my-state", region: "ap-southeast-2" });
  });

  it("protects the incidents table from deletion in every environment but dev", () => {
    expect(loadConfig({ LOG_MONITOR_ENV: "dev" }).deletionProtection).toBe(false);
    expect(loadConfig({ LOG_MONITOR_ENV: "prod" }).deletionProtection).toBe(true);
    expect(loadConfig({ LOG_MONITOR_ENV: "prod", LOG_MONITOR_DELETION_PROTECTION: "false" }).deletionProtection).toBe(false);
  });

  it("treats an empty variable as unset, except the environment's name", () => {
    expect(loadConfig({ AWS_REGION: "", LOG_MONITOR_ALERT_EMAILS: "" }, { readFile: () => undefined })).toMatchObject({
      region: "us-east-1",
      environment: "dev",
      alertEmails: [],
      criticalAlertEmails: [],
      chatChannels: [],
    });
  });

  // Each invalid value fails with a message that names the variable and the value.
  it.each([
    ["AWS_REGION", "US-EAST-1", 'AWS_REGION: "US-EAST-1" is not an AWS region name (for example us-east-1 or eu-west-2)'],
    ["AWS_REGION", "useast1", 'AWS_REGION: "useast1" is not an AWS region name (for example us-east-1 or eu-west-2)'],
    [
      "LOG_MONITOR_ENV",
      "Prod",
      'LOG_MONITOR_ENV: "Prod" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      "LOG_MONITOR_ENV",
      "a-very-long-environment-name",
      'LOG_MONITOR_ENV: "a-very-long-environment-name" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      "LOG_MONITOR_ENV",
      "dev-",
      'LOG_MONITOR_ENV: "dev-" is not a valid environment name: use 1 to 16 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      "LOG_MONITOR_STATE_BUCKET",
      "My_Bucket",
      'LOG_MONITOR_STATE_BUCKET: "My_Bucket" is not a valid S3 bucket name: use only lower-case letters, digits, dots and hyphens',
    ],
    [
      "LOG_MONITOR_STATE_BUCKET",
      "192.168.1.1",
      'LOG_MONITOR_STATE_BUCKET: "192.168.1.1" is not a valid S3 bucket name: it must not be formatted as an IP address',
    ],
    [
      "LOG_MONITOR_STATE_BUCKET",
      "a..b",
      'LOG_MONITOR_STATE_BUCKET: "a..b" is not a valid S3 bucket name: it must not contain two adjacent dots',
    ],
    ["LOG_MONITOR_ALERT_EMAILS", "ops@", 'LOG_MONITOR_ALERT_EMAILS: "ops@" is not an email address'],
    ["LOG_MONITOR_ALERT_EMAILS", "ops@example.com; dev@example.com", 'LOG_MONITOR_ALERT_EMAILS: "ops@example.com; dev@example.com" is not an email address'],
    ["LOG_MONITOR_ALERT_EMAILS", "a@example.com,A@example.com", 'LOG_MONITOR_ALERT_EMAILS: "A@example.com" is listed more than once'],
    [
      "LOG_MONITOR_METRIC_NAMESPACE",
      "AWS/Lambda",
      'LOG_MONITOR_METRIC_NAMESPACE: "AWS/Lambda" uses the AWS/ prefix, which is reserved for AWS services',
    ],
    [
      "LOG_MONITOR_METRIC_NAMESPACE",
      "Logs$",
      'LOG_MONITOR_METRIC_NAMESPACE: "Logs$" is not a valid CloudWatch namespace: use up to 255 letters, digits, spaces and . - _ / # (metric filters refuse : * $)',
    ],
    // PutMetricFilter, metricTransformation.metricNamespace and metricName: `[^:*$]*`, at most 255 (botocore
    // logs/2014-03-28 service-2.json, shapes MetricNamespace and MetricName, botocore 1.43.67).
    [
      "LOG_MONITOR_METRIC_NAMESPACE",
      "Log:Monitoring",
      'LOG_MONITOR_METRIC_NAMESPACE: "Log:Monitoring" is not a valid CloudWatch namespace: use up to 255 letters, digits, spaces and . - _ / # (metric filters refuse : * $)',
    ],
    [
      "LOG_MONITOR_METRIC_NAME",
      "Error$Count*",
      'LOG_MONITOR_METRIC_NAME: "Error$Count*" has a character metric filters refuse (PutMetricFilter allows no : * or $ in a metric name)',
    ],
    [
      "LOG_MONITOR_METRIC_NAME",
      "Errors:5xx",
      'LOG_MONITOR_METRIC_NAME: "Errors:5xx" has a character metric filters refuse (PutMetricFilter allows no : * or $ in a metric name)',
    ],
    [
      "LOG_MONITOR_METRIC_NAME",
      "Erreur\u00e9",
      'LOG_MONITOR_METRIC_NAME: "Erreuré" is not a valid CloudWatch metric name: use 1 to 255 printable ASCII characters',
    ],
    [
      "LOG_MONITOR_LOG_RETENTION_DAYS",
      "10",
      'LOG_MONITOR_LOG_RETENTION_DAYS: "10" is not a retention CloudWatch Logs accepts: use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
    ["LOG_MONITOR_LOG_RETENTION_DAYS", "thirty", 'LOG_MONITOR_LOG_RETENTION_DAYS: "thirty" is not a whole number (expected 1 to 3653)'],
    ["LOG_MONITOR_LOG_RETENTION_DAYS", "0", 'LOG_MONITOR_LOG_RETENTION_DAYS: "0" is out of range (expected 1 to 3653)'],
    ["LOG_MONITOR_INCIDENT_TTL_DAYS", "-1", 'LOG_MONITOR_INCIDENT_TTL_DAYS: "-1" is not a whole number (expected 1 to 3650)'],
    ["LOG_MONITOR_INCIDENT_TTL_DAYS", "1.5", 'LOG_MONITOR_INCIDENT_TTL_DAYS: "1.5" is not a whole number (expected 1 to 3650)'],
    ["LOG_MONITOR_INCIDENT_TTL_DAYS", "5000", 'LOG_MONITOR_INCIDENT_TTL_DAYS: "5000" is out of range (expected 1 to 3650)'],
    ["LOG_MONITOR_REALTIME_ALERTS", "on", 'LOG_MONITOR_REALTIME_ALERTS: "on" is not a boolean (expected true or false)'],
    ["LOG_MONITOR_SUPPRESSION_MINUTES", "0", 'LOG_MONITOR_SUPPRESSION_MINUTES: "0" is out of range (expected 1 to 1440)'],
    ["LOG_MONITOR_SUPPRESSION_MINUTES", "15m", 'LOG_MONITOR_SUPPRESSION_MINUTES: "15m" is not a whole number (expected 1 to 1440)'],
    ["LOG_MONITOR_MAX_ALERTS_PER_DELIVERY", "0", 'LOG_MONITOR_MAX_ALERTS_PER_DELIVERY: "0" is out of range (expected 1 to 100)'],
    ["LOG_MONITOR_MAX_ALERTS_PER_DELIVERY", "ten", 'LOG_MONITOR_MAX_ALERTS_PER_DELIVERY: "ten" is not a whole number (expected 1 to 100)'],
    [
      "LOG_MONITOR_KMS_KEY_ARN",
      "alias/my-key",
      'LOG_MONITOR_KMS_KEY_ARN: "alias/my-key" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)',
    ],
    [
      "LOG_MONITOR_PERMISSIONS_BOUNDARY",
      "arn:aws:iam::123456789012:role/Boundary",
      'LOG_MONITOR_PERMISSIONS_BOUNDARY: "arn:aws:iam::123456789012:role/Boundary" is not an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)',
    ],
    ["LOG_MONITOR_RESERVED_CONCURRENCY", "0", 'LOG_MONITOR_RESERVED_CONCURRENCY: "0" is out of range (expected 1 to 1000)'],
    ["LOG_MONITOR_SILENCE_ALARM_MINUTES", "1", 'LOG_MONITOR_SILENCE_ALARM_MINUTES: "1" is out of range (expected 5 to 1440)'],
    ["LOG_MONITOR_DELETION_PROTECTION", "yes", 'LOG_MONITOR_DELETION_PROTECTION: "yes" is not a boolean (expected true or false)'],
  ])("rejects %s=%j with a message naming both", (variable, value, message) => {
    // Prepare
    const env = { LOG_MONITOR_STATE_BUCKET: "valid-bucket", [variable]: value };

    // Act
    const load = () => loadConfig(env);

    // Assess
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
  });

  it("rejects a state region without a state bucket, which would otherwise be silently ignored", () => {
    expect(() => loadConfig({ LOG_MONITOR_STATE_REGION: "eu-west-1" })).toThrow(
      'LOG_MONITOR_STATE_REGION: "eu-west-1" is set but LOG_MONITOR_STATE_BUCKET is not: set the bucket too, or unset the region',
    );
  });

  it("validates the state region when a bucket is set", () => {
    expect(() => loadConfig({ LOG_MONITOR_STATE_BUCKET: "b-u-c", LOG_MONITOR_STATE_REGION: "europe" })).toThrow(
      'LOG_MONITOR_STATE_REGION: "europe" is not an AWS region name (for example us-east-1 or eu-west-2)',
    );
  });

  it("reserves no concurrency unless LOG_MONITOR_RESERVED_CONCURRENCY asks for it", () => {
    // Lambda Developer Guide, "Configuring reserved concurrency": an account must keep at least 10 unreserved
    // concurrent executions, so an account on the new-account quota of 10 refuses any reservation.
    expect(loadConfig({}).processorReservedConcurrency).toBeUndefined();
    expect(loadConfig({ LOG_MONITOR_RESERVED_CONCURRENCY: "5" }).processorReservedConcurrency).toBe(5);
  });

  it("gives every environment its own metric namespace, so two environments never share a series", () => {
    expect(loadConfig({ LOG_MONITOR_ENV: "prod" }).metricNamespace).toBe("LogMonitoring/prod");
    expect(loadConfig({ LOG_MONITOR_ENV: "prod-eu" }).metricNamespace).toBe("LogMonitoring/prod-eu");
  });

  it("accepts a namespace of exactly 255 characters with the environment, and refuses one longer", () => {
    // CloudWatch API Reference, PutMetricData: Namespace, "Length Constraints: Minimum length of 1. Maximum length of 255."
    const base = "N".repeat(255 - "/dev".length);
    expect(loadConfig({ LOG_MONITOR_METRIC_NAMESPACE: base }).metricNamespace).toHaveLength(255);
    expect(() => loadConfig({ LOG_MONITOR_METRIC_NAMESPACE: `${base}N` })).toThrow(
      /^LOG_MONITOR_METRIC_NAMESPACE: "N+" is too long: with the environment, the namespace "N+\/dev" has 256 characters; CloudWatch allows 255$/,
    );
  });

  it("refuses a silence alarm with no log group of the user's to watch", () => {
    expect(() => loadConfig({ LOG_MONITOR_SILENCE_ALARM_MINUTES: "30" })).toThrow(
      'LOG_MONITOR_SILENCE_ALARM_MINUTES: "30" needs LOG_MONITOR_LOG_GROUPS: the silence alarm watches your own log groups (the test emitter\'s group is silent by design)',
    );
    expect(loadConfig({ LOG_MONITOR_SILENCE_ALARM_MINUTES: "30", LOG_MONITOR_LOG_GROUPS: "/ecs/orders" }).silenceAlarmMinutes).toBe(30);
  });

  it.each([
    ["/aws/lambda/log-monitor-prod-test-emitter", "is the test emitter's log group, which is always monitored"],
    ["/aws/lambda/log-monitor-prod-log-processor", "is the log processor's own log group"],
    ["/aws/lambda/log-monitor-prod-eu-log-processor", "belongs to another environment of the log monitor"],
    ["/aws/lambda/log-monitor-dev-test-emitter", "belongs to another environment of the log monitor"],
  ])("refuses the project's own log group %s in LOG_MONITOR_LOG_GROUPS", (group, reason) => {
    expect(() => loadConfig({ LOG_MONITOR_ENV: "prod", LOG_MONITOR_LOG_GROUPS: group })).toThrow(`LOG_MONITOR_LOG_GROUPS: "${group}" ${reason}`);
  });

  it("keeps IAM role names, which carry the region, within IAM's 64 characters", () => {
    // IAM User Guide, "IAM and AWS STS quotas": role names, 64 characters. The longest environment name (16) and
    // the longest region name in use (14, ap-southeast-5) fit: log-monitor-<env>-log-processor-<region> = 57.
    expect(() => loadConfig({ LOG_MONITOR_ENV: "abcdefghijklmnop", AWS_REGION: "ap-southeast-5" })).not.toThrow();
    // Every real region fits (config/regions.ts); a longer, made-up name is refused before its length matters.
    expect(() => loadConfig({ LOG_MONITOR_ENV: "abcdefghijklmnop", AWS_REGION: "us-isob-southwestern-1" })).toThrow(
      'AWS_REGION: "us-isob-southwestern-1" is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2',
    );
  });

  it.each([
    ["0", "is not an amount in US dollars"],
    ["-5", "is not an amount in US dollars"],
    ["12.345", "is not an amount in US dollars"],
    ["ten", "is not an amount in US dollars"],
  ])("refuses LOG_MONITOR_MONTHLY_BUDGET_USD=%j", (value, reason) => {
    expect(() => loadConfig({ LOG_MONITOR_MONTHLY_BUDGET_USD: value })).toThrow(`LOG_MONITOR_MONTHLY_BUDGET_USD: "${value}" ${reason}`);
  });

  it("refuses a budget that would notify more email addresses than AWS Budgets allows", () => {
    // AWS Budgets quotas (Cost Management User Guide, "Quotas and restrictions"): a notification has at most
    // 10 email subscribers.
    const emails = (n: number) => Array.from({ length: n }, (_, i) => `ops${i}@example.com`).join(",");
    expect(loadConfig({ LOG_MONITOR_MONTHLY_BUDGET_USD: "50", LOG_MONITOR_ALERT_EMAILS: emails(10) }).monthlyBudgetUsd).toBe(50);
    expect(() => loadConfig({ LOG_MONITOR_MONTHLY_BUDGET_USD: "50", LOG_MONITOR_ALERT_EMAILS: emails(11) })).toThrow(
      'LOG_MONITOR_MONTHLY_BUDGET_USD: "50" cannot notify 11 alert emails directly: AWS Budgets allows 10 email subscribers per notification',
    );
  });

  it("refuses an account id that is not 12 digits", () => {
    expect(() => loadConfig({ LOG_MONITOR_ACCOUNT_ID: "12345678901" })).toThrow('LOG_MONITOR_ACCOUNT_ID: "12345678901" is not an AWS account id (12 digits)');
  });
});
