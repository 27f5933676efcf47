import { randomUUID } from "node:crypto";
import { Agent, createServer, IncomingMessage, request as httpRequest, ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback";

/** The AWS service a proxied request is for. */
export type ProxiedService = "dynamodb" | "sns" | "sqs" | "other";

/** A request as the proxy sees it. */
export interface ProxiedRequest {
  readonly service: ProxiedService;
  /** The operation: from `X-Amz-Target` (`UpdateItem`, `SendMessage`) or the Query protocol's `Action` (`Publish`). */
  readonly operation: string;
  /** The parsed body: the JSON document, or the Query protocol's form fields. */
  readonly body: Record<string, unknown>;
  /** 1 for the first request the proxy received, and so on (SDK retries included). */
  readonly sequence: number;
  /** `<host> <method> <X-Amz-Target, SNS action or path>`: what the request was, for a request no emulator serves. */
  readonly description: string;
}

/**
 * What the proxy does with a request:
 * - `pass`: forwards it and returns the server's answer;
 * - `throttle`: answers the service's throttling error (HTTP 400) without forwarding;
 * - `apply-then-500`: forwards it (the server applies it), then answers HTTP 500 instead, as when a response is lost;
 * - `apply-then-drop`: forwards it, then closes the connection without an answer: an answer that came too late
 *   (after the caller's request timeout) looks the same to the caller, without waiting for that timeout;
 * - `drop`: closes the connection without forwarding: a request that never arrived;
 * - `refuse`: answers a non-retryable error without forwarding: what a killed invocation's requests amount to
 *   (they have no further effect on the world);
 * - `withhold`: for BatchWriteItem, forwards only the first `keep` write requests and answers the rest as
 *   `UnprocessedItems`, as DynamoDB does under throttling (dynalite never returns UnprocessedItems);
 * - `hang`: never answers and does not forward: the caller's own timeout must end the request;
 * - `error`: answers the service's error `code` with HTTP `status` without forwarding (nothing is applied).
 */
export type FaultAction =
  | { readonly kind: "pass" }
  | { readonly kind: "throttle" }
  | { readonly kind: "apply-then-500" }
  | { readonly kind: "apply-then-drop" }
  | { readonly kind: "drop" }
  | { readonly kind: "refuse" }
  | { readonly kind: "withhold"; readonly keep: number }
  | { readonly kind: "hang" }
  | { readonly kind: "error"; readonly status: number; readonly code: string; readonly message: string };

/** Decides the fault for each request; `undefined` passes it. */
export type FaultRule = (request: ProxiedRequest) => FaultAction | undefined;

/** A Publish the SNS emulator took (it was applied, whatever the caller was answered). */
export interface AcceptedPublish {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  readonly messageStructure: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** The MessageId SNS answered with, once it accepted the Publish. */
  readonly messageId?: string;
}

/** A running fault-injecting proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SNS` and `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  /** Every request and what was done with it, in order. */
  readonly log: { readonly service: ProxiedService; readonly operation: string; readonly action: FaultAction["kind"] }[];
  /** Every Publish that reached the SNS emulator and was applied, duplicates included: what subscribers receive. */
  readonly accepted: AcceptedPublish[];
  /** Every Publish request the proxy received, in order, whatever became of it (refused, failed, hung, retried). */
  readonly publishRequests: AcceptedPublish[];
  /** Every Publish SNS would have refused (see {@link snsPublishViolations}), with the reason. */
  readonly refusedPublishes: { readonly publish: AcceptedPublish; readonly problems: readonly string[] }[];
  /** Replaces the rule (the default passes everything). */
  setRule(rule: FaultRule): void;
  stop(): Promise<void>;
}

/** Where the proxy forwards each service. */
export interface FaultProxyTargets {
  /** dynalite's endpoint. */
  readonly dynamodb?: string;
  /** fauxqs's endpoint (SNS and SQS). */
  readonly fauxqs?: string;
}

/** SNS's limit on a Publish's message in UTF-8 bytes, all protocol bodies and message attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/**
 * What SNS would refuse in a Publish that an emulator accepts. Source: Amazon SNS API Reference, Publish:
 * `Subject`: "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters
 * long"; `Message`: "messages must be UTF-8 encoded strings and at most 256 KB in size (262,144 bytes, not 262,144
 * characters)"; with `MessageStructure` `json`, the message "must contain at least a top-level JSON key of
 * 'default' with a value that is a string". The message attributes count toward the 256 KB (Amazon SNS Developer
 * Guide, "Amazon SNS message attributes": "the total size of the message, including attributes, must not exceed
 * 256 KB"); MessageAttributeValue: "Name, type, and value must not be empty or null". fauxqs 2.4.1 accepts a
 * 120-character subject and does not read the json bodies (measured), hence this.
 */
export function snsPublishViolations(publish: AcceptedPublish): string[] {
  const problems: string[] = [];
  const { subject } = publish;
  if (subject !== undefined) {
    if (subject.length === 0) problems.push("Subject is empty");
    if ([...subject].length >= 100) problems.push(`Subject is ${[...subject].length} characters long: SNS takes less than 100`);
    if (/[\u0000-\u001f\u007f]/.test(subject)) problems.push("Subject holds a line break or a control character");
    if (/[^\x20-\x7e]/.test(subject)) problems.push("Subject holds a character that is not printable ASCII (email subjects are modified)");
  }
  for (const [name, value] of Object.entries(publish.attributes)) if (value === "") problems.push(`message attribute ${name} has an empty value`);
  const attributeBytes = Object.entries(publish.attributes).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, "utf8") + Buffer.byteLength("String", "utf8") + Buffer.byteLength(value, "utf8"),
    0,
  );
  const total = Buffer.byteLength(publish.message, "utf8") + attributeBytes;
  if (total > SNS_MAX_MESSAGE_BYTES) problems.push(`message and attributes are ${total} bytes: SNS takes at most ${SNS_MAX_MESSAGE_BYTES}`);
  if (publish.messageStructure === "json") {
    let bodies: unknown;
    try {
      bodies = JSON.parse(publish.message);
    } catch {
      problems.push("MessageStructure json, but the message is not JSON");
    }
    if (bodies !== undefined && (typeof bodies !== "object" || bodies === null || typeof (bodies as Record<string, unknown>).default !== "string")) {
      problems.push('MessageStructure json without a string "default" body');
    } else if (bodies !== undefined && Object.values(bodies as Record<string, unknown>).some((body) => typeof body !== "string")) {
      problems.push("MessageStructure json with a body that is not a string");
    }
  }
  return problems;
}

/**
 * Starts one HTTP proxy in front of dynalite (DynamoDB) and fauxqs (SNS, SQS) that injects the faults local servers
 * never produce: throttling, unprocessed batch items, requests applied but whose answer is lost or late, and requests
 * from an invocation that was killed. It also refuses, as SNS does, a Publish that breaks SNS's documented limits,
 * which the emulator would accept. The handlers' real SDK clients reach it through the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` settings, so their own retries and timeouts are exercised. Neither emulator checks
 * signatures, so a rewritten body (withhold) is still accepted.
 */
export async function startFaultProxy(targets: FaultProxyTargets | string): Promise<FaultProxy> {
  const { dynamodb, fauxqs } = typeof targets === "string" ? { dynamodb: targets, fauxqs: undefined } : targets;
  const log: FaultProxy["log"] = [];
  const accepted: AcceptedPublish[] = [];
  const refusedPublishes: FaultProxy["refusedPublishes"] = [];
  const publishRequests: AcceptedPublish[] = [];
  let rule: FaultRule = () => undefined;
  let sequence = 0;
  // Its own connections to the emulators, closed when it stops (the global agent would keep them open).
  const agent = new Agent({ keepAlive: true });

  const forward = (target: string, incoming: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = new URL(target);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers[name] = value;
      headers["content-length"] = String(body.length);
      headers.host = upstream.host;
      const outgoing = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 500, contentType: String(response.headers["content-type"] ?? "application/json"), body: Buffer.concat(chunks) }),
        );
        response.on("error", reject);
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      const target = String(incoming.headers["x-amz-target"] ?? "");
      const contentType = String(incoming.headers["content-type"] ?? "");
      const queryForm = incoming.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(raw.toString("utf8")) : undefined;
      const service: ProxiedService = target.startsWith("DynamoDB")
        ? "dynamodb"
        : target.startsWith("AmazonSQS")
          ? "sqs"
          : queryForm !== undefined && SNS_ACTIONS.has(queryForm.get("Action") ?? "")
            ? "sns"
            : "other";
      const form = service === "sns" ? queryForm : undefined;
      const operation = form !== undefined ? (form.get("Action") ?? "") : (target.split(".").pop() ?? "");
      let body: Record<string, unknown> = {};
      if (form !== undefined) body = Object.fromEntries(form);
      else if (service !== "other" && raw.length > 0) body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      const upstream = service === "dynamodb" ? dynamodb : service === "other" ? undefined : fauxqs;
      const what = target !== "" ? target : queryForm?.get("Action") ? `${queryForm.get("Action")}` : (incoming.url ?? "/");
      const description = `${incoming.headers.host ?? "?"} ${incoming.method ?? "?"} ${what}`;
      const action = rule({ service, operation, body, sequence: ++sequence, description }) ?? { kind: "pass" as const };
      log.push({ service, operation, action: action.kind });
      const publish = form !== undefined && operation === "Publish" ? parsePublishForm(form) : undefined;
      if (publish !== undefined) publishRequests.push(publish);

      const send = (status: number, contentType: string, payload: Buffer | string): void => {
        response.writeHead(status, { "content-type": contentType });
        response.end(payload);
      };
      const error = (status: number, type: string, message: string): void => {
        if (service === "sns" || service === "other") {
          send(status, "text/xml", snsErrorXml(type, message, status >= 500 ? "Receiver" : "Sender"));
        } else {
          const prefix = service === "dynamodb" ? "com.amazonaws.dynamodb.v20120810#" : "com.amazonaws.sqs#";
          send(status, "application/x-amz-json-1.0", JSON.stringify({ __type: `${prefix}${type}`, message }));
        }
      };
      const throttleName = service === "dynamodb" ? "ProvisionedThroughputExceededException" : service === "sns" ? "Throttling" : "ThrottlingException";
      const pass = async (): Promise<{ status: number; contentType: string; body: Buffer }> => {
        if (upstream === undefined) throw new Error(`no upstream for ${service}`);
        if (publish !== undefined) {
          const problems = snsPublishViolations(publish);
          if (problems.length > 0) {
            refusedPublishes.push({ publish, problems });
            return { status: 400, contentType: "text/xml", body: Buffer.from(snsErrorXml("InvalidParameter", `Invalid parameter: ${problems.join("; ")}`, "Sender")) };
          }
        }
        const result = await forward(upstream, incoming, raw);
        if (publish !== undefined && result.status === 200) {
          const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(result.body.toString("utf8"))?.[1];
          accepted.push(messageId === undefined ? publish : { ...publish, messageId });
        }
        return result;
      };

      void (async () => {
        try {
          if (service === "other") {
            error(400, "UnsupportedOperation", `no local emulator serves this request: ${description}`);
            return;
          }
          switch (action.kind) {
            case "hang":
              return;
            case "error":
              error(action.status, action.code, action.message);
              return;
            case "throttle":
              error(400, throttleName, "Rate exceeded (injected)");
              return;
            case "refuse":
              error(400, "AccessDeniedException", "The invocation was killed (injected): this request has no effect");
              return;
            case "drop":
              response.destroy();
              return;
            case "apply-then-drop":
              await pass();
              response.destroy();
              return;
            case "apply-then-500":
              await pass();
              error(500, service === "sns" ? "InternalError" : "InternalServerError", "Internal error (injected after the request was applied)");
              return;
            case "withhold": {
              if (operation !== "BatchWriteItem" || upstream === undefined) break;
              const requestItems = body.RequestItems as Record<string, unknown[]>;
              const kept: Record<string, unknown[]> = {};
              const withheld: Record<string, unknown[]> = {};
              for (const [table, requests] of Object.entries(requestItems)) {
                kept[table] = requests.slice(0, action.keep);
                if (requests.length > action.keep) withheld[table] = requests.slice(action.keep);
              }
              const nonEmpty = Object.fromEntries(Object.entries(kept).filter(([, requests]) => requests.length > 0));
              let answer: Record<string, unknown> = { UnprocessedItems: {} };
              if (Object.keys(nonEmpty).length > 0) {
                const result = await forward(upstream, incoming, Buffer.from(JSON.stringify({ ...body, RequestItems: nonEmpty })));
                if (result.status !== 200) return send(result.status, result.contentType, result.body);
                answer = JSON.parse(result.body.toString("utf8")) as Record<string, unknown>;
              }
              send(200, "application/x-amz-json-1.0", JSON.stringify({ ...answer, UnprocessedItems: withheld }));
              return;
            }
            case "pass":
              break;
          }
          const result = await pass();
          send(result.status, result.contentType, result.body);
        } catch (failure) {
          error(500, "InternalServerError", `proxy: ${(failure as Error).message}`);
        }
      })();
    });
  });
  const { endpoint, stop } = await listenOnLoopback(server);
  return {
    endpoint,
    log,
    accepted,
    publishRequests,
    refusedPublishes,
    setRule(next) {
      rule = next;
    },
    async stop() {
      agent.destroy();
      await stop();
    },
  };
}

/** The actions of SNS's Query API (Amazon SNS API Reference): a form-encoded request with another Action is not SNS. */
const SNS_ACTIONS = new Set([
  "AddPermission", "CheckIfPhoneNumberIsOptedOut", "ConfirmSubscription", "CreatePlatformApplication", "CreatePlatformEndpoint",
  "CreateSMSSandboxPhoneNumber", "CreateTopic", "DeleteEndpoint", "DeletePlatformApplication", "DeleteSMSSandboxPhoneNumber",
  "DeleteTopic", "GetDataProtectionPolicy", "GetEndpointAttributes", "GetPlatformApplicationAttributes", "GetSMSAttributes",
  "GetSMSSandboxAccountStatus", "GetSubscriptionAttributes", "GetTopicAttributes", "ListEndpointsByPlatformApplication",
  "ListOriginationNumbers", "ListPhoneNumbersOptedOut", "ListPlatformApplications", "ListSMSSandboxPhoneNumbers",
  "ListSubscriptions", "ListSubscriptionsByTopic", "ListTagsForResource", "ListTopics", "OptInPhoneNumber", "Publish",
  "PublishBatch", "PutDataProtectionPolicy", "RemovePermission", "SetEndpointAttributes", "SetPlatformApplicationAttributes",
  "SetSMSAttributes", "SetSubscriptionAttributes", "SetTopicAttributes", "Subscribe", "TagResource", "Unsubscribe",
  "UntagResource", "VerifySMSSandboxPhoneNumber",
]);

/** A Publish request of SNS's Query protocol (form fields), decoded. */
export function parsePublishForm(form: URLSearchParams): AcceptedPublish {
  const attributes: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    attributes[form.get(`MessageAttributes.entry.${i}.Name`) as string] = form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
  }
  return {
    topicArn: form.get("TopicArn") ?? "",
    subject: form.get("Subject") ?? undefined,
    message: form.get("Message") ?? "",
    messageStructure: form.get("MessageStructure") ?? undefined,
    attributes,
  };
}

/** An error answer of SNS's Query protocol. */
export function snsErrorXml(code: string, message: string, type: "Sender" | "Receiver"): string {
  return (
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
