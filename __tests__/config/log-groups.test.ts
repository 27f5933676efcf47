import { ConfigurationError, loadConfig } from "../../config/config";

describe("LOG_MONITOR_LOG_GROUPS", () => {
  it("monitors no extra group by default", () => {
    expect(loadConfig({}).logGroups).toEqual([]);
  });

  it("takes comma-separated names", () => {
    expect(loadConfig({ LOG_MONITOR_LOG_GROUPS: " /aws/lambda/orders , /ecs/payments#blue ,," }).logGroups).toEqual([
      { name: "/aws/lambda/orders" },
      { name: "/ecs/payments#blue" },
    ]);
  });

  it("takes a JSON array to override a group's patterns", () => {
    const value = JSON.stringify([
      "/aws/lambda/orders",
      { name: "/ecs/payments", metricPattern: "[ts, level=ERROR, ...]", subscriptionPattern: "?ERROR ?FATAL" },
    ]);
    expect(loadConfig({ LOG_MONITOR_LOG_GROUPS: value }).logGroups).toEqual([
      { name: "/aws/lambda/orders" },
      { name: "/ecs/payments", metricPattern: "[ts, level=ERROR, ...]", subscriptionPattern: "?ERROR ?FATAL" },
    ]);
  });

  it.each([
    ["/app logs", 'LOG_MONITOR_LOG_GROUPS: "/app logs" is not a valid log group name: use 1 to 512 letters, digits and . - _ / #'],
    ["/a,/a", 'LOG_MONITOR_LOG_GROUPS: "/a" is listed more than once'],
    ["/aws/lambda/log-monitor-dev-test-emitter", 'LOG_MONITOR_LOG_GROUPS: "/aws/lambda/log-monitor-dev-test-emitter" is the test emitter\'s log group, which is always monitored'],
    ["/a_b/c,/a_b.c", 'LOG_MONITOR_LOG_GROUPS: "/a_b.c" cannot be told apart from "/a_b/c" in resource names (both become "a_b-c"); rename one'],
    ["//", 'LOG_MONITOR_LOG_GROUPS: "//" has no letter or digit to name its resources after'],
    ["[1]", 'LOG_MONITOR_LOG_GROUPS: "1" is neither a log group name nor an object with "name"'],
    ['[{"name":"/a","pattern":"x"}]', 'LOG_MONITOR_LOG_GROUPS: "{\\"name\\":\\"/a\\",\\"pattern\\":\\"x\\"}" has unknown key "pattern" (expected name, metricPattern, subscriptionPattern)'],
    ['[{"name":"/a","metricPattern":"{ $.level = }"}]', 'LOG_MONITOR_LOG_GROUPS: "{ $.level = }" is not a valid filter pattern for metricPattern of /a:'],
    ['{"name":"/a"}', 'LOG_MONITOR_LOG_GROUPS: "{\\"name\\":\\"/a\\"}" is a JSON object, not an array: wrap it in [ ]'],
  ])("rejects %j", (value, message) => {
    expect(() => loadConfig({ LOG_MONITOR_LOG_GROUPS: value })).toThrow(ConfigurationError);
    expect(() => loadConfig({ LOG_MONITOR_LOG_GROUPS: value })).toThrow(message);
  });

  it("rejects a JSON array that does not parse, saying so", () => {
    expect(() => loadConfig({ LOG_MONITOR_LOG_GROUPS: '["/a",' })).toThrow(/^LOG_MONITOR_LOG_GROUPS: "\[\\"\/a\\",\" is not valid JSON \(/);
  });

  it("caps the groups at what one Logs Insights query can read", () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `/app/${i}`).join(",");
    expect(() => loadConfig({ LOG_MONITOR_LOG_GROUPS: fifty })).toThrow("lists 50 log groups; at most 49 fit one Logs Insights query");
  });
});
