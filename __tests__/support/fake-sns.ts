import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { parsePublishForm, snsErrorXml } from "../../lib/local-aws/fault-proxy";
import { listenOnLoopback } from "../../lib/local-aws/loopback";

/** One Publish request as the fake received it: the Query-protocol form fields, decoded. */
export interface ReceivedPublish {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  /** `json` when the message holds one body per protocol (MessageStructure). */
  readonly messageStructure: string | undefined;
  /** Message attributes by name (`MessageAttributes.entry.N.Name` / `.Value.StringValue`). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** An SNS error the fake answers with. */
export interface FakeSnsError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** A running fake SNS endpoint. */
export interface FakeSns {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SNS`. */
  readonly endpoint: string;
  /** Every Publish received, failed ones included, in order. */
  readonly published: ReceivedPublish[];
  /**
   * Every Publish SNS would have delivered to subscribers: answered with success, or accepted and then answered
   * with an error (`acceptThenFailNext`). What subscribers would receive, duplicates included.
   */
  readonly accepted: ReceivedPublish[];
  /** Answers the next `times` Publish requests with `error` instead of success (nothing is delivered). */
  failNext(times: number, error: FakeSnsError): void;
  /** Never answers the next `times` Publish requests (nothing is delivered): the caller's timeout must end them. */
  hangNext(times: number): void;
  /** Delivers the next `times` Publish requests, then answers HTTP 500, as when SNS's response is lost. */
  acceptThenFailNext(times: number): void;
  /** Called with each Publish as it arrives, before it is answered (a test may kill the caller there). */
  onPublish(listener: ((publish: ReceivedPublish) => void) | undefined): void;
  /** Forgets what was received and any pending failures. */
  reset(): void;
  stop(): Promise<void>;
}

/** How the fake behaves. */
export interface FakeSnsOptions {
  /**
   * Refuses, as SNS does, a Publish that breaks the API's request-time limits (see {@link publishLimitViolation}),
   * so that a test proves what SNS would accept rather than what a lenient stand-in takes.
   * @default false
   */
  readonly enforcePublishLimits?: boolean;
}

/**
 * Why SNS would refuse this Publish, or undefined. The limits, from the Amazon SNS API Reference:
 * - Publish, `Subject`: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100
 *   characters long" (checked as printable ASCII, 1 to 99 characters, the stricter form email needs);
 * - Publish, `Message`: "at most 256 KB in size (262,144 bytes, not 262,144 characters)"; with `MessageStructure`
 *   `json`, a JSON object whose values are strings, with a `default` key;
 * - MessageAttributeValue: "Name, type, and value must not be empty or null. [...] All parts of the message
 *   attribute, including name, type, and value, are included in the message size restriction".
 */
export function publishLimitViolation(publish: ReceivedPublish): string | undefined {
  if (publish.subject !== undefined && !/^[\x20-\x7e]{1,99}$/.test(publish.subject)) {
    return `Subject must be printable ASCII without line breaks and under 100 characters (got ${publish.subject.length})`;
  }
  let bytes = Buffer.byteLength(publish.message, "utf8");
  for (const [name, value] of Object.entries(publish.attributes)) {
    if (value === "") return `message attribute ${name} has an empty value`;
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength("String", "utf8") + Buffer.byteLength(value, "utf8");
  }
  if (bytes > 262_144) return `Message too long: ${bytes} bytes with its attributes, at most 262144`;
  if (publish.messageStructure === "json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(publish.message);
    } catch {
      return "Message Structure - JSON message body failed to parse";
    }
    if (typeof parsed !== "object" || parsed === null || typeof (parsed as Record<string, unknown>)["default"] !== "string") {
      return "Message Structure - No default entry in JSON message body";
    }
    if (Object.values(parsed as Record<string, unknown>).some((body) => typeof body !== "string")) return "Message Structure - every body must be a string";
  }
  return undefined;
}

/**
 * SNS has no local server (there is no dynalite for SNS), so the handler tests use this fake: a minimal HTTP
 * server that speaks the part of SNS's Query protocol (form-encoded POST, XML answer) that `PublishCommand` uses,
 * records each request, and can inject faults: answer with an error, never answer, or deliver and then answer 500. The processor's real SNSClient reaches it through the
 * standard `AWS_ENDPOINT_URL_SNS` setting, so the whole adapter is exercised; SNS itself is not.
 */
export async function startFakeSns(options: FakeSnsOptions = {}): Promise<FakeSns> {
  const published: ReceivedPublish[] = [];
  const accepted: ReceivedPublish[] = [];
  let pendingFailures: { times: number; error: FakeSnsError } | undefined;
  let pendingHangs = 0;
  let pendingAcceptThenFail = 0;
  let listener: ((publish: ReceivedPublish) => void) | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      if (form.get("Action") !== "Publish") {
        respond(
          response,
          400,
          snsErrorXml("InvalidAction", `the fake SNS only knows Publish, not ${form.get("Action")}`, "Sender"),
        );
        return;
      }
      const publish: ReceivedPublish = parsePublishForm(form);
      published.push(publish);
      const refusal = options.enforcePublishLimits === true ? publishLimitViolation(publish) : undefined;
      if (refusal !== undefined) {
        respond(response, 400, snsErrorXml("InvalidParameter", `Invalid parameter: ${refusal}`, "Sender"));
        return;
      }
      listener?.(publish);
      if (pendingHangs > 0) {
        pendingHangs--;
        return;
      }
      if (pendingAcceptThenFail > 0) {
        pendingAcceptThenFail--;
        accepted.push(publish);
        respond(response, 500, snsErrorXml("InternalError", "Internal error (injected after the message was accepted)", "Receiver"));
        return;
      }
      if (pendingFailures !== undefined && pendingFailures.times > 0) {
        const { error } = pendingFailures;
        pendingFailures = pendingFailures.times > 1 ? { times: pendingFailures.times - 1, error } : undefined;
        respond(
          response,
          error.status,
          snsErrorXml(error.code, error.message, error.status >= 500 ? "Receiver" : "Sender"),
        );
        return;
      }
      accepted.push(publish);
      respond(
        response,
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId>` +
          `</PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const { endpoint, stop } = await listenOnLoopback(server);

  return {
    endpoint,
    published,
    accepted,
    failNext(times, error) {
      pendingFailures = { times, error };
    },
    hangNext(times) {
      pendingHangs = times;
    },
    acceptThenFailNext(times) {
      pendingAcceptThenFail = times;
    },
    onPublish(next) {
      listener = next;
    },
    reset() {
      published.length = 0;
      accepted.length = 0;
      pendingFailures = undefined;
      pendingHangs = 0;
      pendingAcceptThenFail = 0;
      listener = undefined;
    },
    stop,
  };
}

function respond(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "text/xml" });
  response.end(body);
}

/**
 * The body a subscriber of `protocol` receives (Amazon SNS Developer Guide, "Amazon SNS message publishing": with
 * `MessageStructure: "json"` the message is a JSON object with a body per protocol and a required `default` for
 * any protocol it does not name).
 */
export function bodyFor(publish: { readonly message: string; readonly messageStructure?: string | undefined }, protocol: string): string {
  if (publish.messageStructure !== "json") return publish.message;
  const bodies = JSON.parse(publish.message) as Record<string, string>;
  const body = bodies[protocol] ?? bodies["default"];
  if (body === undefined) throw new Error(`a MessageStructure json message without a default body: ${publish.message}`);
  return body;
}
