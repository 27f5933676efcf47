import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { alertFactsOf, formatAlert } from "../handlers/log-processor/alert-message";
import { snsMessageBodies } from "../handlers/log-processor/chat-notification";
import { decodeLogsEvent } from "../handlers/log-processor/decode";
import { buildIncidents, Incident } from "../handlers/log-processor/incident";
import { formatQuietNotice } from "../handlers/quiet-notices/quiet-notice";

/**
 * The rendered messages in the README and docs/ (docs/alerts-and-chat.md shows them) are the real code's output: a
 * change to the messages must update the docs.
 */
describe("README and docs/ examples of each message", () => {
  const root = path.join(__dirname, "..");
  const documents = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
  const readme = documents.map((file) => fs.readFileSync(path.join(root, file), "utf8")).join("\n");
  const payload = {
    messageType: "DATA_MESSAGE",
    owner: "123456789012",
    logGroup: "/aws/lambda/orders-api",
    logStream: "2026/11/30/[$LATEST]f00dfeedf00dfeedf00dfeedf00dfeed",
    subscriptionFilters: ["log-monitor-prod-log-processor"],
    logEvents: [
      {
        id: "38000000000000000000000000000000000000000000000000000000",
        timestamp: Date.UTC(2026, 10, 30, 12, 0, 1),
        message: '{"timestamp":"2026-11-30T12:00:01.000Z","level":"FATAL","requestId":"8f2c1a9e-4b7d-4c2e-9a51-3d0f6b2c7e10","message":"ledger unreachable after 3 retries"}',
      },
    ],
  };
  const [incident] = buildIncidents(decodeLogsEvent({ awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString("base64") } }), { ttlDays: 30 });
  const alert = formatAlert(alertFactsOf(incident as Incident, { seenCount: 3, windowMinutes: 15, region: "eu-west-1" }));
  const bodies = JSON.parse(snsMessageBodies(alert)) as Record<string, string>;

  it("shows the email of a FATAL alert exactly as the code writes it", () => {
    expect(readme).toContain(["```", `Subject: ${alert.subject}`, bodies.email, "```"].join("\n"));
  });

  it("shows the chat body exactly as the code writes it", () => {
    const block = /chat \(the `https` body\):\n\n```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(JSON.parse(block ?? "null")).toEqual(JSON.parse(bodies.https as string));
  });

  it("shows the quiet-again notice exactly as the code writes it", () => {
    const notice = formatQuietNotice(
      { failureKey: `-|/aws/lambda/orders-api|${(incident as Incident).fingerprint}`, fingerprint: (incident as Incident).fingerprint, logGroup: "/aws/lambda/orders-api", count: 7, startedAtMs: Date.UTC(2026, 10, 30, 12, 0, 1), lastSeenAtMs: Date.UTC(2026, 10, 30, 12, 41, 9) },
      { logGroup: "/aws/lambda/orders-api", message: (incident as Incident).message, severity: "FATAL" },
      { windowMinutes: 15, region: "eu-west-1" },
    );
    expect(readme).toContain(["```", `Subject: ${notice.subject}`, notice.body, "```"].join("\n"));
  });
});
