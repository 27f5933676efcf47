/**
 * The AWS the simulation's functions see, other than DynamoDB and Kinesis: fauxqs (SNS and SQS over their real APIs,
 * npm) behind the fault proxy, which refuses what SNS would refuse and answers any other service with an error it
 * records. The functions' own SDK clients reach it through `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_SNS`/`_SQS`, so
 * nothing in the simulation can reach AWS. Each topic a function's environment names is created in fauxqs with an
 * SQS queue subscribed to it; what the simulation reports as published is what that subscriber received.
 */
import { createHash } from "node:crypto";
import { ReceivedNotification, startLocalSns } from "../local-aws/sns-subscribers";

/** One message a topic's subscriber received. */
export interface PublishedMessage {
  /** The topic's ARN as the synthesized app names it. */
  readonly topicArn: string;
  readonly subject?: string;
  /** The message as published (one body per protocol when `messageStructure` is `json`). */
  readonly message: string;
  /** `json` when the message holds one body per protocol (`MessageStructure`). @default a single body */
  readonly messageStructure?: string;
  /** String message attributes by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The MessageId SNS (fauxqs) gave it. */
  readonly messageId: string;
  /** Who was running when it was received (see {@link SimulatedAws.setCaller}). */
  readonly caller: string;
}

/** A request no local emulator serves. */
export interface UnsupportedRequest {
  /** `<host header> <method> <X-Amz-Target, Query action or path>`. */
  readonly description: string;
  readonly caller: string;
}

/** fauxqs behind the fault proxy, for the simulation. */
export interface SimulatedAws {
  /** The proxy's endpoint: `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Requests no emulator served, in order. */
  readonly unsupported: readonly UnsupportedRequest[];
  /** Names who the next requests come from (the functions run one at a time). */
  setCaller(caller: string): void;
  /**
   * The environment with every SNS topic ARN it names (`arn:aws:sns:<region>:<account>:<name>`) replaced by the ARN of
   * the topic of that name in fauxqs (created, with its subscriber, on first sight). fauxqs names its own account.
   */
  localEnvironment(environment: Readonly<Record<string, string>>): Promise<Record<string, string>>;
  /** What the subscribers received since the last call, with the app's topic ARNs. */
  collect(): Promise<PublishedMessage[]>;
  stop(): Promise<void>;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

/** Starts fauxqs and the fault proxy on free loopback ports. */
export async function startSimulatedAws(region: string): Promise<SimulatedAws> {
  const sns = await startLocalSns({ region });
  const unsupported: UnsupportedRequest[] = [];
  let caller = "nobody";
  sns.proxy.setRule((request) => {
    if (request.service === "other") unsupported.push({ description: request.description, caller });
    return undefined;
  });
  /** fauxqs topic ARN -> the app's. */
  const appArn = new Map<string, string>();
  /** The app's topic ARN -> fauxqs's. */
  const localArn = new Map<string, Promise<string>>();
  let collected = 0;
  return {
    endpoint: sns.endpoint,
    unsupported,
    setCaller(next) {
      caller = next;
    },
    async localEnvironment(environment) {
      const local: Record<string, string> = {};
      for (const [name, value] of Object.entries(environment)) {
        const topicName = TOPIC_ARN.exec(value)?.[1];
        if (topicName === undefined) {
          local[name] = value;
          continue;
        }
        let arn = localArn.get(value);
        if (arn === undefined) {
          arn = sns.createTopic(topicName).then((created) => {
            appArn.set(created, value);
            return created;
          });
          localArn.set(value, arn);
        }
        local[name] = await arn;
      }
      return local;
    },
    async collect() {
      const received: ReceivedNotification[] = (await sns.received()).slice(collected);
      collected += received.length;
      return received.map((notification) => {
        return {
          topicArn: appArn.get(notification.topicArn) ?? notification.topicArn,
          ...(notification.subject === undefined ? {} : { subject: notification.subject }),
          message: notification.message,
          ...(notification.messageStructure === undefined ? {} : { messageStructure: notification.messageStructure }),
          attributes: notification.attributes,
          messageId: notification.messageId,
          caller,
        };
      });
    },
    stop: () => sns.stop(),
  };
}

/** A deterministic UUID-shaped id for the n-th thing of a kind. */
export function simulatedUuid(kind: string, n: number): string {
  const hex = createHash("sha256").update(`${kind}:${n}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
