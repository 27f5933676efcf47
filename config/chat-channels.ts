/**
 * Chat channels (AWS Chatbot, now "Amazon Q Developer in chat applications") and the `:critical` suffix that makes a
 * subscriber receive pages only. Parsed from `LOG_MONITOR_SLACK_CHANNELS`, `LOG_MONITOR_TEAMS_CHANNELS` and
 * `LOG_MONITOR_ALERT_EMAILS`; every error names the variable and the entry.
 */
import { createHash } from "node:crypto";
import { ConfigurationError } from "./config-error";

/** The suffix that marks an email address or a channel as critical-only (FATAL/CRITICAL alerts and alarm transitions). */
export const CRITICAL_SUFFIX = ":critical";

/** A Slack channel subscribed through AWS Chatbot. */
export interface SlackChannel {
  readonly kind: "slack";
  /** The Slack workspace (team) id, authorised once in the Chatbot console, e.g. `T07EA123LEP`. */
  readonly workspaceId: string;
  /** The channel id, e.g. `C07EZ1ABC23`. */
  readonly channelId: string;
  /** Whether the channel receives only FATAL/CRITICAL alerts and alarm transitions. */
  readonly criticalOnly: boolean;
}

/** A Microsoft Teams channel subscribed through AWS Chatbot. */
export interface TeamsChannel {
  readonly kind: "teams";
  /** The team id (a GUID), authorised once in the Chatbot console. */
  readonly teamId: string;
  /** The channel id as the Chatbot API takes it: URL-encoded, e.g. `19%3Aab12...%40thread.tacv2`. */
  readonly channelId: string;
  /** The Microsoft Entra tenant id (a GUID). */
  readonly tenantId: string;
  /** Whether the channel receives only FATAL/CRITICAL alerts and alarm transitions. */
  readonly criticalOnly: boolean;
}

/** A chat channel of either platform. */
export type ChatChannel = SlackChannel | TeamsChannel;

/** An email subscriber: the address, and whether it receives pages only. */
export interface EmailSubscriber {
  readonly address: string;
  readonly criticalOnly: boolean;
}

// Chatbot API reference, CreateSlackChannelConfiguration: SlackTeamId "^[0-9A-Z]{1,255}$",
// SlackChannelId "^[A-Za-z0-9]+$", both 1 to 255 characters.
const SLACK_TEAM_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
// CreateMicrosoftTeamsChannelConfiguration: TeamId and TenantId are GUIDs (36 characters,
// "^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$"); ChannelId, 1 to 255 characters,
// "^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$" (the id Teams shows, 19:...@thread.tacv2,
// URL-encoded).
const GUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/;
const TEAMS_CHANNEL_ID_MAX_LENGTH = 255;

/**
 * Chatbot's limits on a configuration name (CreateSlackChannelConfiguration and
 * CreateMicrosoftTeamsChannelConfiguration: ConfigurationName, 1 to 128 characters, "^[A-Za-z0-9-_]+$").
 */
export const CHAT_CONFIGURATION_NAME_MAX_LENGTH = 128;
export const CHAT_CONFIGURATION_NAME = /^[A-Za-z0-9\-_]{1,128}$/;

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function withoutCriticalSuffix(entry: string): { readonly body: string; readonly criticalOnly: boolean } {
  return entry.toLowerCase().endsWith(CRITICAL_SUFFIX)
    ? { body: entry.slice(0, -CRITICAL_SUFFIX.length), criticalOnly: true }
    : { body: entry, criticalOnly: false };
}

/** Parses `LOG_MONITOR_SLACK_CHANNELS`: comma-separated `<workspace id>/<channel id>[:critical]`. */
export function parseSlackChannels(value: string | undefined): SlackChannel[] {
  const variable = "LOG_MONITOR_SLACK_CHANNELS";
  const channels = splitList(value).map((entry): SlackChannel => {
    const { body, criticalOnly } = withoutCriticalSuffix(entry);
    const parts = body.split("/");
    if (parts.length !== 2) {
      throw new ConfigurationError(variable, entry, "is not <workspace id>/<channel id> (optionally followed by :critical)");
    }
    const [workspaceId, channelId] = parts as [string, string];
    if (!SLACK_TEAM_ID.test(workspaceId)) {
      throw new ConfigurationError(variable, entry, `has an invalid Slack workspace id "${workspaceId}": use the id the Chatbot console shows (upper-case letters and digits, e.g. T07EA123LEP)`);
    }
    if (!SLACK_CHANNEL_ID.test(channelId)) {
      throw new ConfigurationError(variable, entry, `has an invalid Slack channel id "${channelId}": use the channel's id (letters and digits, e.g. C07EZ1ABC23), not its name`);
    }
    return { kind: "slack", workspaceId, channelId, criticalOnly };
  });
  rejectDuplicates(variable, channels.map((c) => [`${c.workspaceId}/${c.channelId}`, `${c.workspaceId}/${c.channelId}`]));
  return channels;
}

/**
 * Parses `LOG_MONITOR_TEAMS_CHANNELS`: comma-separated `<team id>/<channel id>/<tenant id>[:critical]`. The channel
 * id may be given as Teams shows it (`19:...@thread.tacv2`) or URL-encoded (`19%3A...%40thread.tacv2`); it is kept
 * encoded, as the Chatbot API takes it.
 */
export function parseTeamsChannels(value: string | undefined): TeamsChannel[] {
  const variable = "LOG_MONITOR_TEAMS_CHANNELS";
  const channels = splitList(value).map((entry): TeamsChannel => {
    const { body, criticalOnly } = withoutCriticalSuffix(entry);
    const parts = body.split("/");
    if (parts.length < 3) {
      throw new ConfigurationError(variable, entry, "is not <team id>/<channel id>/<tenant id> (optionally followed by :critical)");
    }
    const teamId = parts[0] as string;
    const tenantId = parts[parts.length - 1] as string;
    const rawChannel = parts.slice(1, -1).join("/");
    if (!GUID.test(teamId)) {
      throw new ConfigurationError(variable, entry, `has an invalid team id "${teamId}": it must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
    }
    if (!GUID.test(tenantId)) {
      throw new ConfigurationError(variable, entry, `has an invalid tenant id "${tenantId}": it must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
    }
    const channelId = rawChannel.replace(/:/g, "%3A").replace(/@/g, "%40");
    if (channelId.length > TEAMS_CHANNEL_ID_MAX_LENGTH || !TEAMS_CHANNEL_ID.test(channelId)) {
      throw new ConfigurationError(
        variable,
        entry,
        `has an invalid Teams channel id "${rawChannel}": use the id from the channel's link, like 19:ab12...@thread.tacv2 (at most ${TEAMS_CHANNEL_ID_MAX_LENGTH} characters encoded)`,
      );
    }
    return { kind: "teams", teamId, channelId, tenantId, criticalOnly };
  });
  rejectDuplicates(variable, channels.map((c) => [`${c.teamId}/${c.channelId}`, `${c.teamId}/${c.channelId}`]));
  return channels;
}

function rejectDuplicates(variable: string, keys: readonly (readonly [string, string])[]): void {
  const seen = new Set<string>();
  for (const [key, shown] of keys) {
    if (seen.has(key.toLowerCase())) throw new ConfigurationError(variable, shown, "is listed more than once");
    seen.add(key.toLowerCase());
  }
}

/**
 * The Chatbot configuration name of a channel: `log-monitor-<env>-<platform>-<channel id>-<region>`, letters, digits,
 * `-` and `_` only. Configuration names are global to the account (a configuration's ARN has no region), so the name
 * carries the region, as IAM role and budget names do: the same environment in two regions must not collide. Longer
 * than Chatbot's 128 characters (a Slack channel id may be 255), the channel part is cut and a hash of the channel id
 * keeps it apart; the region always stays. Derived from the channel, never its position, so adding a channel leaves
 * the others untouched.
 */
export function chatConfigurationName(environment: string, region: string, channel: ChatChannel): string {
  const id = channel.kind === "slack" ? `${channel.workspaceId}-${channel.channelId}` : channel.channelId;
  const safe = id.replace(/%3[aA]/g, "-").replace(/%40/g, "-").replace(/[^A-Za-z0-9_-]+/g, "-");
  const base = `log-monitor-${environment}-${channel.kind}-${safe}`;
  const suffix = `-${region}`;
  if (base.length + suffix.length <= CHAT_CONFIGURATION_NAME_MAX_LENGTH) return `${base}${suffix}`;
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${base.slice(0, CHAT_CONFIGURATION_NAME_MAX_LENGTH - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

/**
 * The regions where the Chatbot API is served ("Amazon Q Developer in chat applications endpoints and quotas", AWS
 * General Reference: us-east-2, us-west-2, eu-west-1, ap-southeast-1). A channel configuration is global (it may
 * subscribe to topics of any region), but it is created through one of these endpoints.
 */
export const CHATBOT_API_REGIONS: readonly string[] = ["us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"];

/**
 * The region the channel configurations are created through: the stack's own when Chatbot serves it, else us-east-2.
 * Only for the aws partition: configuration refuses chat elsewhere (config/deployability.ts, checkChatPartition).
 */
export function chatbotApiRegion(region: string): string {
  return CHATBOT_API_REGIONS.includes(region) ? region : "us-east-2";
}
