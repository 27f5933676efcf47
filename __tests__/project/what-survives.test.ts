import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chatConfigurationName, parseSlackChannels } from "../../config/chat-channels";
import { resourcesOf, synthStacks, testConfig } from "../stacks/synth-helpers";

/** The "What survives" list of docs/operations.md: what `cdktf destroy` leaves behind. */
function whatSurvives(): string {
  const operations = readFileSync(join(__dirname, "..", "..", "docs", "operations.md"), "utf8");
  const start = operations.indexOf("What survives, on purpose:");
  const end = operations.indexOf("\n## ", start);
  expect(start).toBeGreaterThan(0);
  return operations.slice(start, end);
}

describe('docs/operations.md, "What survives"', () => {
  // AWS Chatbot creates its log group itself, in us-east-1, on a configuration's first log line, with no expiry: "Slack
  // channel configuration automatically create a log group with the name /aws/chatbot/<configuration-name> in
  // us-east-1 upon first execution with log data set to never expire" (AWS CDK API Reference, aws_chatbot module, "Log
  // Group", https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_chatbot-readme.html). No stack of ours creates
  // or deletes it, so destroy leaves it, and the docs must say so with a command that finds ours.
  it("names Chatbot's own log groups in us-east-1, which no stack creates, with a prefix that finds every configuration's", () => {
    // Prepare
    const stacks = synthStacks(testConfig({ AWS_REGION: "eu-central-1", LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23" }));
    const text = whatSurvives();
    const [channel] = parseSlackChannels("T07EA123LEP/C07EZ1ABC23");
    if (channel === undefined) throw new Error("no channel parsed");
    const name = chatConfigurationName("test", "eu-central-1", channel);
    // Assess: the configuration exists and logs errors; no log group of Chatbot's is created by any stack
    const configurations = resourcesOf(JSON.parse(stacks.alerting), "aws_chatbot_slack_channel_configuration");
    expect(Object.values(configurations).map((configuration) => [configuration.configuration_name, configuration.logging_level])).toEqual([[name, "ERROR"]]);
    for (const json of Object.values(stacks).filter((value): value is string => typeof value === "string")) {
      const groups = Object.values(resourcesOf(JSON.parse(json), "aws_cloudwatch_log_group")).map((group) => String(group.name));
      expect(groups.filter((group) => group.startsWith("/aws/chatbot/"))).toEqual([]);
    }
    // ... and "What survives" names them, in us-east-1, with a prefix of this configuration's log group
    expect(text).toContain("/aws/chatbot/<configuration name>");
    expect(text).toContain("aws logs describe-log-groups --region us-east-1 --log-group-name-prefix /aws/chatbot/log-monitor-<env>-");
    expect(`/aws/chatbot/${name}`.startsWith("/aws/chatbot/log-monitor-test-")).toBe(true);
  });
});
