import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A DynamoDB request as the proxy sees it. */
export interface ProxiedRequest {
  /** The operation, from `X-Amz-Target` (`UpdateItem`, `BatchWriteItem`, ...). */
  readonly operation: string;
  /** The parsed JSON body. */
  readonly body: Record<string, unknown>;
  /** 1 for the first request the proxy received, and so on (SDK retries included). */
  readonly sequence: number;
}

/**
 * What the proxy does with a request:
 * - `pass`: forwards it and returns DynamoDB's answer;
 * - `throttle`: answers `ProvisionedThroughputExceededException` (HTTP 400) without forwarding;
 * - `apply-then-500`: forwards it (DynamoDB applies it), then answers `InternalServerError` (HTTP 500) instead
 *   of the real answer, as when a response is lost;
 * - `withhold`: for BatchWriteItem, forwards only the first `keep` write requests and answers the rest as
 *   `UnprocessedItems`, as DynamoDB does under throttling (dynalite never returns UnprocessedItems).
 */
export type FaultAction =
  | { readonly kind: "pass" }
  | { readonly kind: "throttle" }
  | { readonly kind: "apply-then-500" }
  | { readonly kind: "withhold"; readonly keep: number };

/** Decides the fault for each request; `undefined` passes it. */
export type FaultRule = (request: ProxiedRequest) => FaultAction | undefined;

/** A running fault-injecting proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  /** Every request and what was done with it, in order. */
  readonly log: { readonly operation: string; readonly action: FaultAction["kind"] }[];
  /** Replaces the rule (the default passes everything). */
  setRule(rule: FaultRule): void;
  stop(): Promise<void>;
}

const JSON_TYPE = "application/x-amz-json-1.0";

/**
 * Starts an HTTP proxy in front of a DynamoDB endpoint (dynalite) that injects faults a local server never
 * produces: throttling, unprocessed batch items, and requests that are applied but whose answer is lost. The
 * processor's real SDK client talks to it through `AWS_ENDPOINT_URL_DYNAMODB`, so its own retries are exercised.
 * dynalite does not check signatures, so a rewritten request body (withhold) is still accepted.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const log: { operation: string; action: FaultAction["kind"] }[] = [];
  let rule: FaultRule = () => undefined;
  let sequence = 0;

  const forward = (incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers[name] = value;
      headers["content-length"] = String(body.length);
      headers.host = upstream.host;
      const outgoing = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 500, headers: { "content-type": JSON_TYPE }, body: Buffer.concat(chunks) }));
          response.on("error", reject);
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      const operation = String(incoming.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      const body = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
      const action = rule({ operation, body, sequence: ++sequence }) ?? { kind: "pass" as const };
      log.push({ operation, action: action.kind });
      const send = (status: number, payload: Buffer | string): void => {
        response.writeHead(status, { "content-type": JSON_TYPE });
        response.end(payload);
      };
      const error = (status: number, type: string, message: string): void =>
        send(status, JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));

      void (async () => {
        try {
          switch (action.kind) {
            case "throttle":
              error(400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded (injected)");
              return;
            case "apply-then-500": {
              await forward(incoming, raw);
              error(500, "InternalServerError", "Internal server error (injected after the request was applied)");
              return;
            }
            case "withhold": {
              if (operation !== "BatchWriteItem") break;
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
                const result = await forward(incoming, Buffer.from(JSON.stringify({ ...body, RequestItems: nonEmpty })));
                if (result.status !== 200) {
                  send(result.status, result.body);
                  return;
                }
                answer = JSON.parse(result.body.toString("utf8")) as Record<string, unknown>;
              }
              send(200, JSON.stringify({ ...answer, UnprocessedItems: withheld }));
              return;
            }
            case "pass":
              break;
          }
          const result = await forward(incoming, raw);
          send(result.status, result.body);
        } catch (failure) {
          error(500, "InternalServerError", `proxy: ${(failure as Error).message}`);
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setRule(next) {
      rule = next;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((failure?: Error) => (failure ? reject(failure) : resolve()));
      }),
  };
}
