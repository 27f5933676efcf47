import { ConfigurationError, loadConfig } from "../../config/config";
import {
  FUNCTION_POLICY_MAX_BYTES,
  groupLimitTable,
  logsInvokePolicy,
  logsInvokePolicyBytes,
  RESERVED_CONCURRENCY_MAX,
} from "../../config/deployability";
import { emailSubscriptionIds, logsInvokeStatementId } from "../../config/naming";
import { ALL_REGIONS, profileSetting, REGIONS_BY_PARTITION, resolveRegion } from "../../config/regions";

/** Loads with no shared config file, so that the machine's ~/.aws/config never leaks in. */
const load = (env: Record<string, string>) => loadConfig(env, { readFile: () => undefined });
const message = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("accepted");
};

describe("configuration AWS would refuse at apply is refused at synth, naming the variable", () => {
  it("refuses a well-formed region no partition has (us-east-9), and accepts every region of aws, aws-cn and aws-us-gov", () => {
    // botocore data/endpoints.json (1.43.67), partitions[].regions.
    expect(message({ AWS_REGION: "us-east-9" })).toBe(
      'AWS_REGION: "us-east-9" is not an AWS region: use a region of the aws, aws-cn or aws-us-gov partition, for example us-east-1 or eu-west-2',
    );
    for (const region of ALL_REGIONS) expect(load({ AWS_REGION: region }).region).toBe(region);
    expect(REGIONS_BY_PARTITION["aws-us-gov"]).toEqual(["us-gov-east-1", "us-gov-west-1"]);
    expect(REGIONS_BY_PARTITION["aws-cn"]).toEqual(["cn-north-1", "cn-northwest-1"]);
  });

  it("refuses an empty environment name instead of deploying dev", () => {
    expect(message({ LOG_MONITOR_ENV: "" })).toBe(
      'LOG_MONITOR_ENV: "" is empty: name the environment (1 to 16 lower-case letters, digits and hyphens), or unset the variable for dev',
    );
    expect(message({ LOG_MONITOR_ENV: "  " })).toContain("LOG_MONITOR_ENV: \"  \" is empty");
    expect(load({}).environment).toBe("dev");
  });

  it("refuses an email list of commas only (it notifies nobody); an empty value is unset", () => {
    expect(message({ LOG_MONITOR_ALERT_EMAILS: "," })).toBe('LOG_MONITOR_ALERT_EMAILS: "," lists no address: give addresses separated by commas, or unset it');
    expect(message({ LOG_MONITOR_ALERT_EMAILS: " , ,, " })).toContain("lists no address");
    expect(load({ LOG_MONITOR_ALERT_EMAILS: "" }).alertEmails).toEqual([]);
  });

  it("refuses a KMS key of another region, partition or account than the deployment", () => {
    const key = (region: string, account = "123456789012", partition = "aws") =>
      `arn:${partition}:kms:${region}:${account}:key/0c8a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b`;
    expect(message({ AWS_REGION: "eu-west-1", LOG_MONITOR_KMS_KEY_ARN: key("us-east-1") })).toBe(
      `LOG_MONITOR_KMS_KEY_ARN: "${key("us-east-1")}" is a key in us-east-1, but the stacks deploy to eu-west-1: the services encrypt only with a key of their own region (for a multi-Region key, give its replica in eu-west-1)`,
    );
    expect(message({ AWS_REGION: "us-gov-west-1", LOG_MONITOR_KMS_KEY_ARN: key("us-gov-west-1") })).toContain("has the partition aws, but us-gov-west-1 is in aws-us-gov");
    expect(message({ AWS_REGION: "eu-west-1", LOG_MONITOR_ACCOUNT_ID: "111111111111", LOG_MONITOR_KMS_KEY_ARN: key("eu-west-1", "222222222222") })).toContain(
      "is a key of account 222222222222, but the stacks deploy to 111111111111 (LOG_MONITOR_ACCOUNT_ID)",
    );
    expect(load({ AWS_REGION: "eu-west-1", LOG_MONITOR_ACCOUNT_ID: "123456789012", LOG_MONITOR_KMS_KEY_ARN: key("eu-west-1") }).kmsKeyArn).toBe(key("eu-west-1"));
    expect(load({ AWS_REGION: "cn-north-1", LOG_MONITOR_KMS_KEY_ARN: key("cn-north-1", "123456789012", "aws-cn") }).kmsKeyArn).toContain("aws-cn");
  });

  it("refuses a reservation above 900: Lambda keeps 100 of the default 1,000 unreserved", () => {
    // Lambda quotas ("Concurrent executions: 1,000"); PutFunctionConcurrency ("leave at least 100 simultaneous
    // executions unreserved").
    expect(RESERVED_CONCURRENCY_MAX).toBe(900);
    expect(load({ LOG_MONITOR_RESERVED_CONCURRENCY: "900" }).processorReservedConcurrency).toBe(900);
    expect(message({ LOG_MONITOR_RESERVED_CONCURRENCY: "901" })).toBe(
      'LOG_MONITOR_RESERVED_CONCURRENCY: "901" is above 900: Lambda\'s default concurrency quota is 1,000 per region and 100 must stay unreserved (Lambda quotas; PutFunctionConcurrency)',
    );
  });

  it.each([
    ["us-gov-west-1", "aws-us-gov"],
    ["cn-northwest-1", "aws-cn"],
  ])("refuses chat in %s: Chatbot is not offered in the %s partition", (region, partition) => {
    expect(message({ AWS_REGION: region, LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23" })).toBe(
      `LOG_MONITOR_SLACK_CHANNELS: "1 channel" cannot be configured in ${region}: AWS Chatbot (Amazon Q Developer in chat applications) is not offered in the ${partition} partition; unset the chat variables, or use email`,
    );
    expect(
      message({ AWS_REGION: region, LOG_MONITOR_TEAMS_CHANNELS: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/19:ab@thread.tacv2/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d" }),
    ).toContain("LOG_MONITOR_TEAMS_CHANNELS: \"1 channel\" cannot be configured");
  });
});

describe("region resolution, as the AWS SDKs and CLI do it", () => {
  const file = "[default]\nregion = ap-south-1\n\n[profile ops]\n# a comment\nregion=eu-north-1 ; trailing\ns3 =\n  region = us-west-2\n";
  const readFile = (path: string) => (path === "/home/me/.aws/config" || path === "/etc/aws-config" ? file : undefined);

  it("takes AWS_REGION first, then AWS_DEFAULT_REGION, then the profile's region, then us-east-1", () => {
    const home = { HOME: "/home/me" };
    expect(loadConfig({ ...home, AWS_REGION: "eu-west-2", AWS_DEFAULT_REGION: "eu-west-1" }, { readFile }).region).toBe("eu-west-2");
    expect(loadConfig({ ...home, AWS_DEFAULT_REGION: "eu-west-1" }, { readFile }).region).toBe("eu-west-1");
    expect(loadConfig({ ...home }, { readFile }).region).toBe("ap-south-1");
    expect(loadConfig({ ...home, AWS_PROFILE: "ops" }, { readFile }).region).toBe("eu-north-1");
    expect(loadConfig({ AWS_CONFIG_FILE: "/etc/aws-config", AWS_PROFILE: "ops" }, { readFile }).region).toBe("eu-north-1");
    expect(loadConfig({ HOME: "/nowhere" }, { readFile }).region).toBe("us-east-1");
    expect(loadConfig({}, { readFile }).region).toBe("us-east-1");
  });

  it("names where a bad region came from", () => {
    expect(() => loadConfig({ AWS_DEFAULT_REGION: "eu-west-9" }, { readFile })).toThrow('AWS_DEFAULT_REGION: "eu-west-9" is not an AWS region');
    const bad = (path: string) => (path === "/c" ? "[profile x]\nregion = mars-1\n" : undefined);
    expect(() => loadConfig({ AWS_CONFIG_FILE: "/c", AWS_PROFILE: "x" }, { readFile: bad })).toThrow(
      'AWS_PROFILE: "mars-1" is not an AWS region name (the region of profile "x" in /c) (for example us-east-1 or eu-west-2)',
    );
  });

  it("reads only top-level keys of the profile's own section", () => {
    expect(profileSetting(file, "ops", "region")).toBe("eu-north-1");
    expect(profileSetting(file, "missing", "region")).toBeUndefined();
    expect(resolveRegion({ AWS_CONFIG_FILE: "/none" }, () => undefined)).toBeUndefined();
  });
});

describe("ids AWS and CDKTF require to be unique", () => {
  it("gives two addresses that map to one id different construct ids, and keeps the id of an address alone", () => {
    const ids = emailSubscriptionIds(["first.last@corp.com", "first-last@corp.com", "oncall@example.com"]);
    expect(ids.get("oncall@example.com")).toBe("oncall-at-example-com");
    expect(ids.get("first.last@corp.com")).toMatch(/^first-last-at-corp-com_[0-9a-f]{8}$/);
    expect(ids.get("first-last@corp.com")).toMatch(/^first-last-at-corp-com_[0-9a-f]{8}$/);
    expect(new Set(ids.values()).size).toBe(3);
    expect(load({ LOG_MONITOR_ALERT_EMAILS: "first.last@corp.com,first-last@corp.com" }).alertEmails).toHaveLength(2);
  });

  it("keeps statement ids within AddPermission's 100 characters and `[a-zA-Z0-9-_]+`, unique for groups sharing a long prefix", () => {
    // botocore lambda/2015-03-31 service-2.json, shape StatementId: min 1, max 100, pattern ([a-zA-Z0-9-_]+).
    const prefix = `/aws/lambda/${"a".repeat(100)}`;
    const ids = [`${prefix}-orders`, `${prefix}-payments`].map(logsInvokeStatementId);
    expect(ids[0]).not.toBe(ids[1]);
    for (const id of ids) {
      expect(id).toHaveLength(100);
      expect(id).toMatch(/^[a-zA-Z0-9_-]+$/);
    }
    expect(logsInvokeStatementId("/ecs/payments")).toBe("CloudWatchLogsInvoke-ecs-payments");
  });
});

describe("the log processor's resource policy stays within Lambda's 20 KB (function resource-based policy)", () => {
  // Lambda Developer Guide, "Lambda quotas": "Function resource-based policy: 20 KB".
  const groups = (count: number, length: number) => Array.from({ length: count }, (_, i) => `/g/${String(i).padStart(3, "0")}${"x".repeat(length - 7)}`);
  const input = (names: string[]) => ({ environment: "prod", region: "eu-west-1", logGroupNames: names, transport: "direct" as const, accountWide: false });

  it("models the policy Lambda stores: one statement per group, source account and source ARN conditions", () => {
    const policy = logsInvokePolicy(input(["/ecs/orders"])) as { Statement: { Sid: string; Condition: unknown }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["CloudWatchLogsInvoke", "CloudWatchLogsInvoke-ecs-orders"]);
    expect(policy.Statement[1]?.Condition).toEqual({
      StringEquals: { "AWS:SourceAccount": "123456789012" },
      ArnLike: { "AWS:SourceArn": "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/orders:*" },
    });
  });

  it("accepts the largest group list that fits and refuses one byte more, naming LOG_MONITOR_LOG_GROUPS and the limit", () => {
    // Prepare: 49 groups (the most), the name length at which the policy crosses 20,480 bytes.
    let length = 8;
    while (logsInvokePolicyBytes(input(groups(49, length + 1))) <= FUNCTION_POLICY_MAX_BYTES) length++;
    const fits = groups(49, length);
    const over = groups(49, length + 1);
    // Act, Assess
    expect(logsInvokePolicyBytes(input(fits))).toBeLessThanOrEqual(FUNCTION_POLICY_MAX_BYTES);
    expect(load({ LOG_MONITOR_ENV: "prod", AWS_REGION: "eu-west-1", LOG_MONITOR_LOG_GROUPS: fits.join(",") }).logGroups).toHaveLength(49);
    expect(message({ LOG_MONITOR_ENV: "prod", AWS_REGION: "eu-west-1", LOG_MONITOR_LOG_GROUPS: over.join(",") })).toMatch(
      /^LOG_MONITOR_LOG_GROUPS: "49 log groups" make the log processor's resource policy \d+ bytes; Lambda allows 20480 \(20 KB\)/,
    );
    // With the Kinesis transport there is no permission per group.
    expect(load({ LOG_MONITOR_ENV: "prod", AWS_REGION: "eu-west-1", LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_LOG_GROUPS: over.join(",") }).logGroups).toHaveLength(49);
  });
});

describe("the group limits docs/deployable-configurations.md states", () => {
  it("are the ones the configuration enforces (worst case: 16-character environment, longest ARNs, account-wide)", () => {
    // docs/deployable-configurations.md, "How many log groups".
    expect(groupLimitTable([19, 20, 25, 30, 35, 40, 45, 49])).toEqual([
      { count: 19, longestName: 512 },
      { count: 20, longestName: 502 },
      { count: 25, longestName: 306 },
      { count: 30, longestName: 176 },
      { count: 35, longestName: 83 },
      { count: 40, longestName: 46 },
      { count: 45, longestName: 19 },
      { count: 49, longestName: 0 },
    ]);
  });
});

describe("the refusal docs/deployable-configurations.md shows", () => {
  it("is the line synth prints for 49 groups /aws/lambda/orders-service-NN in prod, eu-west-1", () => {
    const groups = Array.from({ length: 49 }, (_, i) => `/aws/lambda/orders-service-${String(i).padStart(2, "0")}`);
    expect(message({ LOG_MONITOR_ENV: "prod", AWS_REGION: "eu-west-1", LOG_MONITOR_LOG_GROUPS: groups.join(",") })).toBe(
      'LOG_MONITOR_LOG_GROUPS: "49 log groups" make the log processor\'s resource policy 21036 bytes; Lambda allows 20480 (20 KB): list fewer or shorter groups, or use LOG_MONITOR_TRANSPORT=kinesis, which needs no invoke permission per group',
    );
  });
});
