import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
  /** Answers the next `times` Publish requests with `error` instead of success. */
  failNext(times: number, error: FakeSnsError): void;
  /** Forgets what was received and any pending failures. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * SNS has no local server (there is no dynalite for SNS), so the handler tests use this fake: a minimal HTTP
 * server that speaks the part of SNS's Query protocol (form-encoded POST, XML answer) that `PublishCommand` uses,
 * records each request, and can answer with an error. The processor's real SNSClient reaches it through the
 * standard `AWS_ENDPOINT_URL_SNS` setting, so the whole adapter is exercised; SNS itself is not.
 */
export async function startFakeSns(): Promise<FakeSns> {
  const published: ReceivedPublish[] = [];
  let pendingFailures: { times: number; error: FakeSnsError } | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      if (form.get("Action") !== "Publish") {
        respond(
          response,
          400,
          errorXml("InvalidAction", `the fake SNS only knows Publish, not ${form.get("Action")}`, "Sender"),
        );
        return;
      }
      published.push(toPublish(form));
      if (pendingFailures !== undefined && pendingFailures.times > 0) {
        const { error } = pendingFailures;
        pendingFailures = pendingFailures.times > 1 ? { times: pendingFailures.times - 1, error } : undefined;
        respond(
          response,
          error.status,
          errorXml(error.code, error.message, error.status >= 500 ? "Receiver" : "Sender"),
        );
        return;
      }
      respond(
        response,
        200,
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId>` +
          `</PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    failNext(times, error) {
      pendingFailures = { times, error };
    },
    reset() {
      published.length = 0;
      pendingFailures = undefined;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}

function toPublish(form: URLSearchParams): ReceivedPublish {
  const attributes: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes[form.get(`MessageAttributes.entry.${i}.Name`) as string] =
      form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
  }
  return {
    topicArn: form.get("TopicArn") ?? "",
    subject: form.get("Subject") ?? undefined,
    message: form.get("Message") ?? "",
    messageStructure: form.get("MessageStructure") ?? undefined,
    attributes,
  };
}

function errorXml(code: string, message: string, type: "Sender" | "Receiver"): string {
  return (
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
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
