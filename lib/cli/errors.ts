/**
 * The one mapping from an error to what a command-line tool prints and the status it exits with, shared by every
 * tool in scripts/ (and `main.ts`, which `cdktf synth` runs):
 *
 * - 0: success.
 * - 1: a runtime or AWS failure: the network, a missing table or queue, a call AWS refused.
 * - 2: bad usage or configuration: an unknown flag, a bad `LOG_MONITOR_*` variable, no usable credentials or an
 *   unknown profile, a path that cannot be read or written.
 *
 * Every user error is one line, `<tool>: <problem>`, with no stack trace and no raw SDK error class.
 */
import * as nodePath from "node:path";
import { ConfigurationError } from "../../config/config-error";

/** Exit status: success. */
export const EXIT_OK = 0;
/** Exit status: a runtime or AWS failure. */
export const EXIT_FAILURE = 1;
/** Exit status: bad usage or configuration. */
export const EXIT_USAGE = 2;

/** Exit statuses the tools use. */
export type ExitStatus = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** A command line that cannot be run (an unknown flag, a bad value); the message says why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What a tool was doing when it failed, so that the message can name it. */
export interface ErrorContext {
  /** The AWS service being called, as people name it ("DynamoDB", "SQS", "Lambda"). */
  readonly service?: string;
  /** The region being called. */
  readonly region?: string;
  /** The AWS profile in use (`AWS_PROFILE`), if any. */
  readonly profile?: string;
  /** What to say when the resource called does not exist (a table, a queue, a function). */
  readonly missingResource?: string;
}

/** The line to print (without the tool's prefix) and the exit status. */
export interface ExplainedError {
  readonly message: string;
  readonly status: typeof EXIT_FAILURE | typeof EXIT_USAGE;
  /** False for an error no user caused (a bug): its stack is worth printing. */
  readonly userError: boolean;
}

// Node's socket and DNS errors: the endpoint cannot be reached from here.
const NETWORK_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
// File-system errors whose `path` the user gave or can fix.
const FILE_SYSTEM_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EISDIR: "is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EEXIST: "already exists",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EMFILE: "too many open files",
};
const MISSING_RESOURCE_ERRORS = new Set([
  "ResourceNotFoundException",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "NotFoundException",
]);
const REJECTED_CREDENTIALS = new Set(["UnrecognizedClientException", "ExpiredTokenException", "InvalidClientTokenId", "ExpiredToken", "InvalidSignatureException", "SignatureDoesNotMatch"]);

/** Maps any error to one line and an exit status (see the module comment). */
export function explainError(error: unknown, context: ErrorContext = {}): ExplainedError {
  const usage = (message: string): ExplainedError => ({ message, status: EXIT_USAGE, userError: true });
  const failure = (message: string): ExplainedError => ({ message, status: EXIT_FAILURE, userError: true });
  if (error instanceof ConfigurationError) return usage(error.message);
  if (error instanceof UsageError) return usage(error.message);
  // Duck-typed rather than `instanceof Error`: errors from Node.js's own modules come from another realm under jest.
  if (error === null || typeof error !== "object" || typeof (error as { message?: unknown }).message !== "string") {
    return failure(String(error));
  }
  const name = String((error as { name?: unknown }).name ?? "Error");
  // The SDK wraps what is not an `Error` of its realm as "AWS SDK error wrapper for Error: <message>", losing `code`.
  const message = (error as { message: string }).message.replace(/^AWS SDK error wrapper for (?:\w*Error: )?/, "");
  const ownCode = (error as { code?: unknown }).code;
  const code = typeof ownCode === "string" ? ownCode : /\b(E[A-Z]{3,})\b/.exec(message)?.[1];
  const where = `${context.service ?? "AWS"}${context.region === undefined ? "" : ` in ${context.region}`}`;

  if (name === "CredentialsProviderError") {
    if (context.profile !== undefined) {
      return usage(
        `AWS profile ${JSON.stringify(context.profile)} gave no credentials: is it in ~/.aws/config or ~/.aws/credentials ` +
          "(`aws configure list-profiles`), and is its session current (`aws sso login --profile <profile>`)?",
      );
    }
    return usage(
      "no AWS credentials found. Provide them the standard way: AWS_PROFILE=<profile> (after `aws configure` or " +
        "`aws sso login --profile <profile>`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for " +
        "temporary credentials), or run where an IAM role is available.",
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return usage(
      `AWS rejected the credentials (${message}). Refresh them (for example \`aws sso login\`) or check AWS_PROFILE and AWS_ACCESS_KEY_ID.`,
    );
  }
  if ((typeof code === "string" && NETWORK_CODES.has(code)) || name === "TimeoutError") {
    return failure(`cannot reach ${where}: ${message}, check the network and AWS_REGION`);
  }
  if (MISSING_RESOURCE_ERRORS.has(name)) {
    return failure(context.missingResource ?? `${where} says the resource does not exist: ${message}`);
  }
  if (name === "AccessDeniedException" || name === "AccessDenied") {
    return failure(`${where} refused the call: ${message}`);
  }
  if (typeof code === "string" && code in FILE_SYSTEM_PROBLEMS) {
    const path = (error as { path?: unknown }).path;
    return usage(`${typeof path === "string" ? `${shownPath(path)}: ` : ""}${FILE_SYSTEM_PROBLEMS[code]}`);
  }
  // An error AWS returned (it carries $metadata): its own message, with the service that said it.
  if ((error as { $metadata?: unknown }).$metadata !== undefined) return failure(`${where} said: ${message}`);
  return { message: message === "" ? name : message, status: EXIT_FAILURE, userError: false };
}

/** A path as the user would type it: relative to the current folder when it is inside it. */
function shownPath(path: string): string {
  const relative = nodePath.relative(process.cwd(), path);
  return relative !== "" && !relative.startsWith("..") && !nodePath.isAbsolute(relative) ? relative : path;
}

/** Where a command writes. */
export interface CommandOutput {
  readonly stderr: (text: string) => void;
}

/**
 * Prints an error the shared way and returns its exit status: one line `<tool>: <problem>`; for an error no user
 * caused (a bug), the stack follows so that it can be reported.
 */
export function reportError(tool: string, error: unknown, output: CommandOutput, context: ErrorContext = {}): ExitStatus {
  const explained = explainError(error, context);
  output.stderr(`${tool}: ${explained.message}\n`);
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (!explained.userError && typeof stack === "string") {
    output.stderr(`${stack.split("\n").slice(1).join("\n")}\n`);
  }
  return explained.status;
}

/**
 * Runs a tool's main function and sets the exit status: its result, or the shared mapping of what it threw.
 * `context` is read after the failure, so the tool can fill it in as it learns the region and service.
 */
export function runTool(tool: string, main: () => Promise<number> | number, context: () => ErrorContext = () => ({})): void {
  const output: CommandOutput = { stderr: (text) => process.stderr.write(text) };
  let result: Promise<number>;
  try {
    result = Promise.resolve(main());
  } catch (error) {
    result = Promise.reject(error);
  }
  result.then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.exitCode = reportError(tool, error, output, context());
    },
  );
}
