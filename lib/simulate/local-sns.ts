/**
 * A local stand-in for SNS (there is no dynalite for SNS): an HTTP server on 127.0.0.1 that speaks the part of
 * SNS's Query protocol `Publish` and `PublishBatch` use (form-encoded POST, XML answer), records what it is sent,
 * and answers any other request with an error it also records. The processor's own SNSClient reaches it through
 * the SDK's standard `AWS_ENDPOINT_URL_SNS`; pointed at by `AWS_ENDPOINT_URL` as well, it catches calls to any
 * other AWS service, so nothing in the simulation can reach AWS.
 */
import { createHash } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "../local-aws/loopback";

/** One message published to a topic. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  /** `json` when the message holds one body per protocol (`MessageStructure`). @default a single body */
  readonly messageStructure?: string;
  /** String message attributes by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The MessageId the server answered with. */
  readonly messageId: string;
  /** Who was running when it arrived (see {@link LocalSns.setCaller}). */
  readonly caller: string;
}

/** A request the server could not serve. */
export interface UnsupportedRequest {
  /** `sns:Subscribe`, or `<host header> <target or path>` for another service. */
  readonly description: string;
  readonly caller: string;
}

/** A running local SNS. */
export interface LocalSns {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly published: readonly PublishedMessage[];
  readonly unsupported: readonly UnsupportedRequest[];
  /** Names who the next requests come from (the functions run one at a time). */
  setCaller(caller: string): void;
  stop(): Promise<void>;
}

/** What a Query-protocol SNS request asks for. */
export type SnsRequest =
  | { readonly action: "Publish"; readonly entries: readonly Omit<PublishedMessage, "messageId" | "caller">[] }
  | { readonly action: "PublishBatch"; readonly topicArn: string; readonly entries: readonly (Omit<PublishedMessage, "messageId" | "caller"> & { readonly id: string })[] }
  | { readonly action: "other"; readonly name: string };

/** Reads `MessageAttributes.entry.N.Name` / `.Value.StringValue` (under `prefix`) into a record. */
function attributesOf(form: URLSearchParams, prefix: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`${prefix}MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`${prefix}MessageAttributes.entry.${n}.Name`) as string;
    const value = form.get(`${prefix}MessageAttributes.entry.${n}.Value.StringValue`) ?? form.get(`${prefix}MessageAttributes.entry.${n}.Value.BinaryValue`);
    if (value !== null) attributes[name] = value;
  }
  return attributes;
}

/** Parses a form-encoded SNS Query request body. */
export function parseSnsRequest(body: string): SnsRequest {
  const form = new URLSearchParams(body);
  const action = form.get("Action") ?? "";
  if (action === "Publish") {
    const subject = form.get("Subject");
    const messageStructure = form.get("MessageStructure");
    return {
      action,
      entries: [
        {
          topicArn: form.get("TopicArn") ?? form.get("TargetArn") ?? "",
          ...(subject === null ? {} : { subject }),
          message: form.get("Message") ?? "",
          ...(messageStructure === null ? {} : { messageStructure }),
          attributes: attributesOf(form, ""),
        },
      ],
    };
  }
  if (action === "PublishBatch") {
    const topicArn = form.get("TopicArn") ?? "";
    const entries = [];
    for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Id`); n++) {
      const prefix = `PublishBatchRequestEntries.member.${n}.`;
      const subject = form.get(`${prefix}Subject`);
      entries.push({
        id: form.get(`${prefix}Id`) as string,
        topicArn,
        ...(subject === null ? {} : { subject }),
        message: form.get(`${prefix}Message`) ?? "",
        attributes: attributesOf(form, prefix),
      });
    }
    return { action, topicArn, entries };
  }
  return { action: "other", name: action };
}

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The XML answer to a successful Publish. */
export function publishResponseXml(messageId: string, requestId: string): string {
  return (
    `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${escapeXml(messageId)}</MessageId></PublishResult>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></PublishResponse>`
  );
}

/** The XML answer to a successful PublishBatch. */
export function publishBatchResponseXml(results: readonly { readonly id: string; readonly messageId: string }[], requestId: string): string {
  const members = results.map((result) => `<member><Id>${escapeXml(result.id)}</Id><MessageId>${escapeXml(result.messageId)}</MessageId></member>`).join("");
  return (
    `<PublishBatchResponse xmlns="${XMLNS}"><PublishBatchResult><Successful>${members}</Successful><Failed/></PublishBatchResult>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></PublishBatchResponse>`
  );
}

/** The XML error answer of the Query protocol. */
export function errorResponseXml(code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/** A deterministic UUID-shaped id for the n-th thing of a kind. */
export function simulatedUuid(kind: string, n: number): string {
  const hex = createHash("sha256").update(`${kind}:${n}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Starts the local SNS on a free port of 127.0.0.1. */
export async function startLocalSns(): Promise<LocalSns> {
  const published: PublishedMessage[] = [];
  const unsupported: UnsupportedRequest[] = [];
  let caller = "nobody";
  let requests = 0;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const requestId = simulatedUuid("request", ++requests);
      const body = Buffer.concat(chunks).toString("utf8");
      const contentType = String(request.headers["content-type"] ?? "");
      const send = (status: number, xml: string): void => {
        response.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
        response.end(xml);
      };
      const parsed = request.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded") ? parseSnsRequest(body) : undefined;
      if (parsed === undefined || parsed.action === "other") {
        const target = request.headers["x-amz-target"] ?? (parsed?.action === "other" && parsed.name !== "" ? `sns:${parsed.name}` : request.url);
        unsupported.push({ description: `${request.headers.host ?? "?"} ${request.method ?? "?"} ${String(target)}`, caller });
        send(400, errorResponseXml("InvalidAction", "the log-monitor simulation serves only SNS Publish and PublishBatch", requestId));
        return;
      }
      const results = parsed.entries.map((entry) => {
        const messageId = simulatedUuid("message", published.length + 1);
        published.push({ ...entry, messageId, caller });
        return { id: "id" in entry ? String(entry.id) : "", messageId };
      });
      send(200, parsed.action === "Publish" ? publishResponseXml(results[0]?.messageId ?? "", requestId) : publishBatchResponseXml(results, requestId));
    });
  });
  const { endpoint, stop } = await listenOnLoopback(server);
  return {
    endpoint,
    published,
    unsupported,
    setCaller(name) {
      caller = name;
    },
    stop,
  };
}

/**
 * The body a subscriber of `protocol` receives: with `MessageStructure: "json"` the message holds a body per protocol
 * and a required `default` for the others (Amazon SNS Developer Guide, "Amazon SNS message publishing").
 */
export function messageBodyFor(message: Pick<PublishedMessage, "message" | "messageStructure">, protocol: string): string {
  if (message.messageStructure !== "json") return message.message;
  const bodies = JSON.parse(message.message) as Record<string, string>;
  const body = bodies[protocol] ?? bodies["default"];
  if (body === undefined) throw new Error(`a MessageStructure json message without a default body: ${message.message}`);
  return body;
}
