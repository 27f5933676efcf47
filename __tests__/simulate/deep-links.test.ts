import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { AlertMessage, DigestEntry, formatDigest } from "../../handlers/log-processor/alert-message";
import { decodeLogsEvent } from "../../handlers/log-processor/decode";
import { buildIncidents, Incident } from "../../handlers/log-processor/incident";
import { STORM_FINGERPRINT } from "../../handlers/log-processor/suppression-schema";
import { formatQuietNotice, formatQuietSummary } from "../../handlers/quiet-notices/quiet-notice";
import { runSimulation, SimulatedEvent, SimulationReport } from "../../lib/simulate/simulate";
import { dataMessage, packSubscriptionEvent } from "../../lib/simulate/subscription-payload";
import { consoleUrlsIn, parseInsightsUrl, parseLogStreamUrl, queryFinds } from "../support/console-url";

/**
 * Done when (issue 19): "Every alert, digest and notice carries a Logs Insights link whose query finds the event in the
 * simulator's synthesized log group." The simulator synthesizes the app, runs the test emitter into its log group and
 * the processor's bundle on the deliveries; its alerts are read here as SNS received them. Digests and quiet-again
 * notices are formatted from the same events, decoded as the processor decodes a delivery (the simulator sends too few
 * failures for a digest, and does not run the sweeper).
 *
 * "Finds" is evaluated with JavaScript's RegExp on `filter @message like /.../` (queryFinds in support/console-url.ts):
 * Logs Insights reads regexes in its own dialect (CloudWatch Logs User Guide, "filter", "Matches and regular
 * expressions in the filter command", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html),
 * and the queries hold only literal text with escaped metacharacters, which reads the same in both.
 */
const START_MS = Date.parse("2026-12-02T06:00:00.000Z");
let report: SimulationReport;
let errors: SimulatedEvent[];
let incidents: Incident[];

beforeAll(async () => {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") env[key] = value;
  report = await runSimulation({ errors: 3, minutes: 3, projectRoot: PROJECT_ROOT, env: { ...env, AWS_REGION: "eu-west-1", LOG_MONITOR_ENV: "sim" }, startMs: START_MS });
  errors = report.events.filter((event) => event.error);
  const payload = dataMessage({
    owner: report.chain.accountId,
    logGroup: report.chain.logGroupName,
    logStream: report.logStreamName,
    subscriptionFilters: ["deep-links"],
    logEvents: errors.map(({ id, timestamp, message }) => ({ id, timestamp, message })),
  });
  incidents = buildIncidents(decodeLogsEvent(packSubscriptionEvent(payload)), { ttlDays: 30 });
}, 240_000);

/** The event of the simulator's log group that an incident stands for. */
function eventOf(incident: Incident): SimulatedEvent {
  const event = errors.find((candidate) => candidate.timestamp === Date.parse(incident.occurredAt) && candidate.message === incident.message);
  if (event === undefined) throw new Error(`no simulated event for ${incident.incidentId}`);
  return event;
}

/** The Logs Insights links of a text (email body or chat description), parsed. */
function insightsLinks(text: string) {
  return consoleUrlsIn(text)
    .filter((url) => url.includes("#logsV2:logs-insights"))
    .map(parseInsightsUrl);
}

/** Asserts that every body of a message links to a query that finds `event` in the simulator's group, and says so. */
function expectLinksFind(message: Pick<AlertMessage, "body" | "chat">, event: SimulatedEvent): void {
  const inGroup = { logGroup: report.chain.logGroupName, timestamp: event.timestamp, message: event.message };
  for (const text of [message.body, message.chat?.content.description ?? ""]) {
    const links = insightsLinks(text);
    expect(links.length).toBeGreaterThan(0);
    expect(links.some((link) => queryFinds(link, inGroup))).toBe(true);
    for (const link of links) expect(link).toMatchObject({ origin: "https://eu-west-1.console.aws.amazon.com", region: "eu-west-1" });
  }
}

describe("deep links against the simulator's synthesized log group", () => {
  it("runs the chain: error events in the emitter's log group, and alerts from the processor's bundle", () => {
    expect(report.problems).toEqual([]);
    expect(errors).toHaveLength(3);
    expect(incidents).toHaveLength(3);
    expect(report.alerts.length).toBeGreaterThan(0);
  });

  it("links every alert the processor published to a query that finds its event, and to the stream at its time", () => {
    for (const published of report.alerts) {
      // Prepare: the bodies as SNS received them (MessageStructure json: email and https).
      const bodies = JSON.parse(published.message) as { email: string; https: string };
      const chat = JSON.parse(bodies.https) as { content: { description: string } };
      const occurredAt = /^Occurred at: (.+)$/m.exec(bodies.email)?.[1] as string;
      const event = errors.find((candidate) => candidate.timestamp === Date.parse(occurredAt)) as SimulatedEvent;
      expect(event).toBeDefined();
      // Act + Assess: the query finds the event, in the window, in the group; the text filter is really there.
      for (const text of [bodies.email, chat.content.description]) {
        const [link] = insightsLinks(text);
        expect(link?.query).toMatch(/\n\| filter @message like \/.+\/\n/);
        expect(queryFinds(link as NonNullable<typeof link>, { logGroup: report.chain.logGroupName, timestamp: event.timestamp, message: event.message })).toBe(true);
        // It does not find the emitter's INFO lines: the filter is the failure's, not the group's.
        const info = report.events.filter((other) => !other.error && other.source === "application");
        expect(info.length).toBeGreaterThan(0);
        for (const other of info) expect(queryFinds(link as NonNullable<typeof link>, { logGroup: report.chain.logGroupName, timestamp: event.timestamp, message: other.message })).toBe(false);
      }
      const stream = consoleUrlsIn(bodies.email).find((url) => url.includes("/log-events/")) as string;
      expect(parseLogStreamUrl(stream)).toEqual({
        region: "eu-west-1",
        origin: "https://eu-west-1.console.aws.amazon.com",
        logGroup: report.chain.logGroupName,
        logStream: report.logStreamName,
        startMs: event.timestamp,
      });
      expect(bodies.email).toMatch(new RegExp(`^Incidents: {3}npm run incidents -- --fingerprint [0-9a-f]{32} --log-group ${report.chain.logGroupName}`, "m"));
    }
  });

  it("links a digest (and a storm's part of it) to the log group over the invocation's window, which holds every named event", () => {
    const entries: DigestEntry[] = incidents.map((incident) => ({ fingerprint: incident.fingerprint, count: 1, representative: incident }));
    const digest = formatDigest(entries, { maxAlerts: 1, windowMinutes: 15, region: "eu-west-1" });
    const storm = formatDigest([], { maxAlerts: 1, windowMinutes: 15, region: "eu-west-1" }, [
      { logGroup: report.chain.logGroupName, failures: 3, occurrences: 3, severity: "ERROR", named: entries },
    ]);
    for (const message of [digest, storm]) {
      for (const incident of incidents) expectLinksFind(message, eventOf(incident));
      for (const incident of incidents) expect(message.body).toContain(`npm run incidents -- --fingerprint ${incident.fingerprint} --log-group ${report.chain.logGroupName}`);
    }
  });

  it("links a quiet-again notice, a storm's notice and a summary to queries that find the failure's last event", () => {
    const last = incidents[incidents.length - 1] as Incident;
    const first = incidents[0] as Incident;
    const episode = {
      failureKey: `${report.chain.accountId}|${report.chain.logGroupName}|${last.fingerprint}`,
      fingerprint: last.fingerprint,
      logGroup: report.chain.logGroupName,
      count: incidents.length,
      startedAtMs: Date.parse(first.occurredAt),
      lastSeenAtMs: Date.parse(last.occurredAt),
    };
    const context = { windowMinutes: 15, region: "eu-west-1" };
    const notice = formatQuietNotice(episode, { logGroup: last.logGroup, message: last.message, severity: last.severity }, context);
    const stormNotice = formatQuietNotice({ ...episode, fingerprint: STORM_FINGERPRINT, failureKey: `${episode.failureKey}-storm` }, undefined, context);
    const summary = formatQuietSummary([episode], new Map([[episode.failureKey, { logGroup: last.logGroup, message: last.message, severity: last.severity }]]), context);
    for (const message of [notice, stormNotice, summary]) for (const incident of incidents) expectLinksFind(message, eventOf(incident));
    // The failure's own notice filters on its text; the storm's does not (many failures).
    expect(insightsLinks(notice.body)[0]?.query).toContain("| filter @message like /");
    expect(insightsLinks(stormNotice.body)[0]?.query).not.toContain("filter");
  });
});
