import { ConfigurationError, loadConfig } from "../../config/config";
import { parseExclusions, SELECTION_CRITERIA_MAX_BYTES, selectionCriteria } from "../../config/scale";

const message = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigurationError");
};

describe("scale settings", () => {
  // Each invalid value fails with one line naming the variable and the value.
  it.each([
    ["LOG_MONITOR_TRANSPORT", "firehose", 'LOG_MONITOR_TRANSPORT: "firehose" is not a transport (expected "direct" or "kinesis")'],
    ["LOG_MONITOR_ACCOUNT_WIDE", "yes", 'LOG_MONITOR_ACCOUNT_WIDE: "yes" is not a boolean (expected true or false)'],
    // Lambda CreateEventSourceMapping: BatchSize for Kinesis 1 to 10,000; MaximumBatchingWindowInSeconds 0 to 300
    // (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
    ["LOG_MONITOR_KINESIS_BATCH_SIZE", "0", 'LOG_MONITOR_KINESIS_BATCH_SIZE: "0" is out of range (expected 1 to 10000)'],
    ["LOG_MONITOR_KINESIS_BATCH_SIZE", "10001", 'LOG_MONITOR_KINESIS_BATCH_SIZE: "10001" is out of range (expected 1 to 10000)'],
    ["LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS", "301", 'LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS: "301" is out of range (expected 0 to 300)'],
  ])("refuses %s=%s", (variable, value, expected) => {
    expect(message(() => loadConfig({ [variable]: value }))).toBe(expected);
  });

  it("accepts the edges of the event source mapping's ranges", () => {
    const high = loadConfig({ LOG_MONITOR_KINESIS_BATCH_SIZE: "10000", LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS: "300" });
    expect(high.scale.kinesis).toEqual({ batchSize: 10_000, batchingWindowSeconds: 300 });
    const low = loadConfig({ LOG_MONITOR_KINESIS_BATCH_SIZE: "1", LOG_MONITOR_KINESIS_BATCHING_WINDOW_SECONDS: "0" });
    expect(low.scale.kinesis).toEqual({ batchSize: 1, batchingWindowSeconds: 0 });
  });

  it("refuses exclusions without account-wide monitoring, where they would silently do nothing", () => {
    expect(message(() => loadConfig({ LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/chatty" }))).toBe(
      'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/chatty" is set but LOG_MONITOR_ACCOUNT_WIDE is not true: exclusions apply only to account-wide monitoring',
    );
  });

  it.each([
    ["/a,,/b", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/a,,/b" has an empty entry (two commas, or a comma at an end)'],
    ["*", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "*" would exclude every log group; unset LOG_MONITOR_ACCOUNT_WIDE instead'],
    ["/aws/*/x", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/aws/*/x" has a * that is not at its end; only prefixes (a name followed by one *) are supported'],
    ["/aws/lambda/a**", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/aws/lambda/a**" has a * that is not at its end; only prefixes (a name followed by one *) are supported'],
    ["/ecs/my app", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/ecs/my app" is not a log group name or prefix: use 1 to 512 letters, digits and . - _ / #, optionally followed by *'],
    ["/a,/a", 'LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/a" is listed more than once'],
    [`/${"a".repeat(512)}`, `LOG_MONITOR_EXCLUDE_LOG_GROUPS: "/${"a".repeat(512)}" is not a log group name or prefix: use 1 to 512 letters, digits and . - _ / #, optionally followed by *`],
  ])("refuses the malformed exclusion %s", (value, expected) => {
    expect(message(() => parseExclusions(value))).toBe(expected);
  });

  it("takes a name at CloudWatch Logs' 512-character maximum and splits names from prefixes", () => {
    const longest = `/${"a".repeat(511)}`;
    expect(parseExclusions(`${longest}, /aws/lambda/noisy-*`)).toEqual({ names: [longest], prefixes: ["/aws/lambda/noisy-"] });
  });

  // PutAccountPolicy, selectionCriteria: only `LogGroupName NOT IN []`, "up to 25KB in length ... determined by using
  // its UTF-8 bytes" (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html).
  it("writes the criteria as LogGroupName NOT IN with quoted, sorted, distinct names", () => {
    expect(selectionCriteria(["/b", "/a", "/b"])).toBe('LogGroupName NOT IN ["/a", "/b"]');
  });

  it("accepts selection criteria of exactly the byte limit and refuses one byte more", () => {
    // Prepare: the fixed part is `LogGroupName NOT IN ["` + `"]` = 24 bytes; one name fills the rest.
    const exact = `/${"x".repeat(SELECTION_CRITERIA_MAX_BYTES - 24 - 1)}`;
    // Act / Assess
    expect(Buffer.byteLength(selectionCriteria([exact]), "utf8")).toBe(SELECTION_CRITERIA_MAX_BYTES);
    expect(message(() => selectionCriteria([`${exact}x`]))).toBe(
      `LOG_MONITOR_EXCLUDE_LOG_GROUPS: "1 names" make selection criteria of ${SELECTION_CRITERIA_MAX_BYTES + 1} bytes; CloudWatch Logs accepts at most ${SELECTION_CRITERIA_MAX_BYTES} (exclude by prefix, ending an entry in *)`,
    );
  });
});
