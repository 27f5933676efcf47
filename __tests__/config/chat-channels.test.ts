import { chatConfigurationName, CHAT_CONFIGURATION_NAME, CHAT_CONFIGURATION_NAME_MAX_LENGTH } from "../../config/chat-channels";
import { loadConfig } from "../../config/config";

const TEAM = "9a3c1f52-7b1e-4a5e-9d2c-0f1e2d3c4b5a";
const TENANT = "01234567-89ab-cdef-0123-456789abcdef";

describe("chat channels and critical-only subscribers", () => {
  it("reads Slack and Teams channels, with the :critical suffix, and keeps a Teams channel id URL-encoded", () => {
    // Act
    const config = loadConfig({
      LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23, T07EA123LEP/C0PAGES01:critical",
      LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/19:ab12cd34ef@thread.tacv2/${TENANT}:critical,${TEAM}/19%3Aff00%40thread.tacv2/${TENANT}`,
    });
    // Assess
    expect(config.chatChannels).toEqual([
      { kind: "slack", workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23", criticalOnly: false },
      { kind: "slack", workspaceId: "T07EA123LEP", channelId: "C0PAGES01", criticalOnly: true },
      { kind: "teams", teamId: TEAM, channelId: "19%3Aab12cd34ef%40thread.tacv2", tenantId: TENANT, criticalOnly: true },
      { kind: "teams", teamId: TEAM, channelId: "19%3Aff00%40thread.tacv2", tenantId: TENANT, criticalOnly: false },
    ]);
  });

  it("splits LOG_MONITOR_ALERT_EMAILS into every-alert and critical-only addresses", () => {
    // Act
    const config = loadConfig({ LOG_MONITOR_ALERT_EMAILS: "team@example.com, oncall@example.com:critical, Pager@Example.org:CRITICAL" });
    // Assess
    expect(config.alertEmails).toEqual(["team@example.com"]);
    expect(config.criticalAlertEmails).toEqual(["oncall@example.com", "Pager@Example.org"]);
  });

  // Chatbot API reference: CreateSlackChannelConfiguration (SlackTeamId ^[0-9A-Z]{1,255}$, SlackChannelId
  // ^[A-Za-z0-9]+$, 1-255) and CreateMicrosoftTeamsChannelConfiguration (TeamId/TenantId GUIDs, ChannelId
  // URL-encoded 19%3A...%40thread.tacv2, 1-255).
  it.each([
    ["LOG_MONITOR_SLACK_CHANNELS", "C07EZ1ABC23", 'LOG_MONITOR_SLACK_CHANNELS: "C07EZ1ABC23" is not <workspace id>/<channel id> (optionally followed by :critical)'],
    [
      "LOG_MONITOR_SLACK_CHANNELS",
      "t07ea123lep/C07EZ1ABC23",
      'LOG_MONITOR_SLACK_CHANNELS: "t07ea123lep/C07EZ1ABC23" has an invalid Slack workspace id "t07ea123lep": use the id the Chatbot console shows (upper-case letters and digits, e.g. T07EA123LEP)',
    ],
    [
      "LOG_MONITOR_SLACK_CHANNELS",
      "T07EA123LEP/#alerts",
      'LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/#alerts" has an invalid Slack channel id "#alerts": use the channel\'s id (letters and digits, e.g. C07EZ1ABC23), not its name',
    ],
    [
      "LOG_MONITOR_SLACK_CHANNELS",
      `T07EA123LEP/${"C".repeat(256)}`,
      `LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/${"C".repeat(256)}" has an invalid Slack channel id "${"C".repeat(256)}": use the channel's id (letters and digits, e.g. C07EZ1ABC23), not its name`,
    ],
    ["LOG_MONITOR_SLACK_CHANNELS", "T1/C1,T1/C1:critical", 'LOG_MONITOR_SLACK_CHANNELS: "T1/C1" is listed more than once'],
    [
      "LOG_MONITOR_TEAMS_CHANNELS",
      `my-team/19:ab@thread.tacv2/${TENANT}`,
      `LOG_MONITOR_TEAMS_CHANNELS: "my-team/19:ab@thread.tacv2/${TENANT}" has an invalid team id "my-team": it must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`,
    ],
    [
      "LOG_MONITOR_TEAMS_CHANNELS",
      `${TEAM}/19:ab@thread.tacv2/contoso`,
      `LOG_MONITOR_TEAMS_CHANNELS: "${TEAM}/19:ab@thread.tacv2/contoso" has an invalid tenant id "contoso": it must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`,
    ],
    [
      "LOG_MONITOR_TEAMS_CHANNELS",
      `${TEAM}/General/${TENANT}`,
      `LOG_MONITOR_TEAMS_CHANNELS: "${TEAM}/General/${TENANT}" has an invalid Teams channel id "General": use the id from the channel's link, like 19:ab12...@thread.tacv2 (at most 255 characters encoded)`,
    ],
    ["LOG_MONITOR_TEAMS_CHANNELS", `${TEAM}/${TENANT}`, `LOG_MONITOR_TEAMS_CHANNELS: "${TEAM}/${TENANT}" is not <team id>/<channel id>/<tenant id> (optionally followed by :critical)`],
    ["LOG_MONITOR_ALERT_EMAILS", "oncall@example.com:pager", 'LOG_MONITOR_ALERT_EMAILS: "oncall@example.com:pager" is not an email address (the only suffix is :critical)'],
    ["LOG_MONITOR_ALERT_EMAILS", "a@example.com,a@example.com:critical", 'LOG_MONITOR_ALERT_EMAILS: "a@example.com" is listed more than once'],
  ])("refuses %s=%j with one line naming the variable", (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it("accepts a Slack channel id at the API's maximum of 255 characters, and a Teams channel id of 255 encoded", () => {
    // Prepare: 19%3A + x + %40thread.tacv2 = 255 characters.
    const encodedRest = "19%3A".length + "%40thread.tacv2".length;
    const teamsChannel = `19:${"a".repeat(255 - encodedRest)}@thread.tacv2`;
    // Act
    const config = loadConfig({
      LOG_MONITOR_SLACK_CHANNELS: `T07EA123LEP/${"C".repeat(255)}`,
      LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/${teamsChannel}/${TENANT}`,
    });
    // Assess
    expect(config.chatChannels.map((c) => c.channelId.length)).toEqual([255, 255]);
    expect(() => loadConfig({ LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/19:${"a".repeat(256 - encodedRest)}@thread.tacv2/${TENANT}` })).toThrow(
      "has an invalid Teams channel id",
    );
  });

  it("names every configuration within Chatbot's limits (ConfigurationName 1-128, [A-Za-z0-9-_]), the longest included, with the region", () => {
    // Prepare
    const longest = loadConfig({ LOG_MONITOR_ENV: "a".repeat(16), LOG_MONITOR_SLACK_CHANNELS: `${"T".repeat(255)}/${"C".repeat(255)}` });
    const short = loadConfig({ LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23", LOG_MONITOR_TEAMS_CHANNELS: `${TEAM}/19:ab12@thread.tacv2/${TENANT}` });
    // Act
    const names = [...longest.chatChannels, ...short.chatChannels].map((channel) => chatConfigurationName("a".repeat(16), "ap-southeast-5", channel));
    // Assess
    expect(names[0]).toHaveLength(CHAT_CONFIGURATION_NAME_MAX_LENGTH);
    expect(names[0]).toMatch(/-[0-9a-f]{8}-ap-southeast-5$/);
    expect(names.slice(1)).toEqual([
      `log-monitor-${"a".repeat(16)}-slack-T07EA123LEP-C07EZ1ABC23-ap-southeast-5`,
      `log-monitor-${"a".repeat(16)}-teams-19-ab12-thread-tacv2-ap-southeast-5`,
    ]);
    for (const name of names) expect(name).toMatch(CHAT_CONFIGURATION_NAME);
  });

  it("gives the same channel of the same environment a different configuration name in each region (names are account-global)", () => {
    // Prepare: the longest channel, whose name is shortened: the region must survive the cut.
    const [channel] = loadConfig({ LOG_MONITOR_SLACK_CHANNELS: `${"T".repeat(255)}/${"C".repeat(255)}` }).chatChannels;
    // Act
    const names = ["us-east-1", "eu-central-1", "us-east-2"].map((region) => chatConfigurationName("prod", region, channel!));
    // Assess
    expect(new Set(names).size).toBe(3);
  });

  it("refuses quiet notices without real-time alerts", () => {
    expect(() => loadConfig({ LOG_MONITOR_QUIET_NOTICES: "true", LOG_MONITOR_REALTIME_ALERTS: "false" })).toThrow(
      'LOG_MONITOR_QUIET_NOTICES: "true" needs real-time alerts',
    );
    expect(loadConfig({ LOG_MONITOR_QUIET_NOTICES: "true" }).quietNotices).toBe(true);
  });
});
