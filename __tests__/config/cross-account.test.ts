import { ConfigurationError, loadConfig } from "../../config/config";
import { DESTINATION_POLICY_MAX_BYTES, destinationAccessPolicy, destinationArnOf, ORGANIZATION_ID } from "../../config/cross-account";

const message = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigurationError");
};

const BASE = { LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_ACCOUNT_ID: "999999999999" };

describe("cross-account settings", () => {
  it("parses a list of source accounts, sorted, with the central account from LOG_MONITOR_ACCOUNT_ID", () => {
    expect(loadConfig({ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: " 222222222222 ,111111111111" }).crossAccount).toEqual({
      sources: { kind: "accounts", accountIds: ["111111111111", "222222222222"] },
      centralAccountId: "999999999999",
    });
    expect(loadConfig({}).crossAccount).toBeUndefined();
  });

  // AWS Organizations API reference, Organization: Id pattern ^o-[a-z0-9]{10,32}$.
  it.each([
    ["o-abcdefghij", true],
    [`o-${"a1".repeat(16)}`, true],
    ["o-abcdefghi", false],
    [`o-${"a".repeat(33)}`, false],
    ["o-ABCDEFGHIJ", false],
    ["abcdefghijkl", false],
  ])("organization id %s is accepted: %s", (id, valid) => {
    expect(ORGANIZATION_ID.test(id)).toBe(valid);
    if (valid) expect(loadConfig({ ...BASE, LOG_MONITOR_ORGANIZATION_ID: id }).crossAccount?.sources).toEqual({ kind: "organization", organizationId: id });
    else expect(message({ ...BASE, LOG_MONITOR_ORGANIZATION_ID: id })).toBe(`LOG_MONITOR_ORGANIZATION_ID: "${id}" is not an AWS Organizations organization id (o- followed by 10 to 32 lower-case letters or digits)`);
  });

  it.each([
    [{ LOG_MONITOR_ACCOUNT_ID: "999999999999", LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111" },
      'LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111" needs LOG_MONITOR_TRANSPORT=kinesis: a CloudWatch Logs destination delivers into a Kinesis data stream, not to a function'],
    [{ LOG_MONITOR_ACCOUNT_ID: "999999999999", LOG_MONITOR_ORGANIZATION_ID: "o-abcdefghij" },
      'LOG_MONITOR_ORGANIZATION_ID: "o-abcdefghij" needs LOG_MONITOR_TRANSPORT=kinesis: a CloudWatch Logs destination delivers into a Kinesis data stream, not to a function'],
    [{ LOG_MONITOR_TRANSPORT: "kinesis", LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111" },
      'LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111" needs LOG_MONITOR_ACCOUNT_ID, the central account that holds the destination (source stacks build the destination\'s ARN from it)'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "11111111111" }, 'LOG_MONITOR_SOURCE_ACCOUNTS: "11111111111" is not an AWS account id (12 digits)'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,,222222222222" }, 'LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,,222222222222" has an empty entry (two commas, or a comma at an end)'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111,111111111111" }, 'LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111" is listed more than once'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "999999999999" },
      'LOG_MONITOR_SOURCE_ACCOUNTS: "999999999999" is the central account (LOG_MONITOR_ACCOUNT_ID), whose log groups the processing stack subscribes directly; list only other accounts'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111", LOG_MONITOR_ORGANIZATION_ID: "o-abcdefghij" },
      'LOG_MONITOR_ORGANIZATION_ID: "o-abcdefghij" is set together with LOG_MONITOR_SOURCE_ACCOUNTS: admit either a list of accounts or one organization, not both'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111" },
      'LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111" is set but neither LOG_MONITOR_SOURCE_ACCOUNTS nor LOG_MONITOR_ORGANIZATION_ID is: the source stack sends to a cross-account destination'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111", LOG_MONITOR_SOURCE_ACCOUNT_ID: "222222222222", LOG_MONITOR_LOG_GROUPS: "/ecs/a" },
      'LOG_MONITOR_SOURCE_ACCOUNT_ID: "222222222222" is not in LOG_MONITOR_SOURCE_ACCOUNTS: the destination policy would refuse its subscription'],
    [{ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: "111111111111", LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111" },
      'LOG_MONITOR_SOURCE_ACCOUNT_ID: "111111111111" makes a source stack that subscribes nothing: set LOG_MONITOR_LOG_GROUPS (that account\'s log groups) or LOG_MONITOR_ACCOUNT_WIDE=true'],
    [{ ...BASE, LOG_MONITOR_ORGANIZATION_ID: "o-abcdefghij", LOG_MONITOR_SOURCE_ACCOUNT_ID: "999999999999" },
      'LOG_MONITOR_SOURCE_ACCOUNT_ID: "999999999999" is the central account (LOG_MONITOR_ACCOUNT_ID), whose log groups the processing stack subscribes directly'],
  ])("refuses %j with one line naming the variable", (env, expected) => {
    expect(message(env)).toBe(expected);
  });

  // PutDestinationPolicy: accessPolicy "can be up to 5120 bytes"
  // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestinationPolicy.html).
  it("accepts the longest account list whose destination policy fits in 5120 bytes and refuses one more account", () => {
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(100000000000 + i));
    const arn = destinationArnOf("999999999999", "us-east-1", "log-monitor-dev-destination");
    const size = (n: number): number => Buffer.byteLength(JSON.stringify(destinationAccessPolicy(arn, { kind: "accounts", accountIds: ids(n) })), "utf8");
    let fits = 1;
    while (size(fits + 1) <= DESTINATION_POLICY_MAX_BYTES) fits++;
    expect(loadConfig({ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: ids(fits).join(",") }).crossAccount?.sources).toMatchObject({ kind: "accounts" });
    expect(message({ ...BASE, LOG_MONITOR_SOURCE_ACCOUNTS: ids(fits + 1).join(",") })).toBe(
      `LOG_MONITOR_SOURCE_ACCOUNTS: "${fits + 1} accounts" make a destination policy of ${size(fits + 1)} bytes; CloudWatch Logs accepts at most 5120 (admit an organization with LOG_MONITOR_ORGANIZATION_ID instead)`,
    );
    expect(fits).toBeGreaterThan(300);
  });

  it("builds the destination ARN in the region's partition", () => {
    expect(destinationArnOf("999999999999", "cn-north-1", "d")).toBe("arn:aws-cn:logs:cn-north-1:999999999999:destination:d");
    expect(destinationArnOf("999999999999", "us-gov-west-1", "d")).toBe("arn:aws-us-gov:logs:us-gov-west-1:999999999999:destination:d");
  });
});
