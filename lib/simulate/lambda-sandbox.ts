/**
 * Runs a synthesized Lambda function's bundle on this machine, in its own Node.js process (an execution
 * environment), with the function's environment and nothing of this process's: what the function sees is what
 * Lambda would give it, plus endpoints of local servers. One environment serves invocations one at a time, as a
 * function with reserved concurrency 1 does; a timeout ends it, and the next invocation starts a new one.
 */
import { ChildProcess, fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { transformSync } from "esbuild";
import type { LambdaLogLevel } from "../../handlers/test-emitter/lambda-log-format";
import type { HandlerError } from "./lambda-platform-lines";
import type { LambdaFunctionDefinition } from "./monitoring-chain";

/** An error as it crosses the process boundary. */
export type SerializedError = HandlerError;

/** A console call of the function, with the level the runtime gives it. */
export interface CapturedLine {
  readonly level: LambdaLogLevel;
  readonly message: string;
}

/** How an invocation ended. */
export type InvocationOutcome =
  | { readonly kind: "success"; readonly value: unknown }
  | { readonly kind: "error"; readonly phase: "init" | "invoke"; readonly error: SerializedError }
  | { readonly kind: "timeout" }
  | { readonly kind: "crash"; readonly detail: string };

/** The Lambda context fields sent to the environment (functions are added there). */
export interface InvocationContextFields {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly deadlineMs: number;
}

/** A request to the environment. */
export interface ChildInvokeRequest {
  readonly id: number;
  readonly event: unknown;
  readonly context: InvocationContextFields;
  /**
   * The simulated time at which the invocation starts (epoch ms): while it runs, the function's `Date.now()`
   * reads this plus the real time elapsed, so that time-based logic (suppression windows, leases) follows the
   * simulation's clock. The invocation's deadline stays on the real clock.
   * @default the real clock
   */
  readonly clockMs?: number;
}

/** Options of one {@link LambdaSandbox.invoke}. */
export interface InvokeOptions {
  /** See {@link ChildInvokeRequest.clockMs}. */
  readonly clockMs?: number;
}

/** What the environment answers. */
export interface ChildInvocationResult {
  readonly id: number;
  /** Present on a cold start. */
  readonly init?: { readonly durationMs: number; readonly logs: readonly CapturedLine[]; readonly error?: SerializedError };
  readonly outcome: Exclude<InvocationOutcome, { kind: "timeout" } | { kind: "crash" }>;
  readonly logs: readonly CapturedLine[];
  readonly durationMs: number;
  readonly maxMemoryUsedMb: number;
}

/** One invocation, as the platform saw it. */
export interface SandboxInvocation {
  readonly outcome: InvocationOutcome;
  /** The handler's console calls (lost when the invocation timed out or crashed). */
  readonly logs: readonly CapturedLine[];
  readonly durationMs: number;
  readonly maxMemoryUsedMb: number;
  /** Present on a cold start. */
  readonly init?: { readonly durationMs: number; readonly logs: readonly CapturedLine[] };
}

/**
 * Writes the execution environment's module (lambda-sandbox-child) as plain JavaScript into `directory` and
 * returns its path. It is transpiled rather than run through ts-node, because it runs in the bundle's folder,
 * where no tsconfig applies, and with the function's environment only.
 */
export function prepareSandboxModule(directory: string): string {
  const compiled = path.join(__dirname, "lambda-sandbox-child.js");
  if (fs.existsSync(compiled)) return compiled;
  const source = fs.readFileSync(path.join(__dirname, "lambda-sandbox-child.ts"), "utf8");
  const { code } = transformSync(source, { loader: "ts", format: "cjs", platform: "node", target: "node24" });
  const file = path.join(directory, "lambda-sandbox-child.js");
  fs.writeFileSync(file, code);
  return file;
}

/** The environment variables Lambda sets for a function (AWS Lambda Developer Guide, "Defined runtime environment variables"). */
export function lambdaEnvironment(fn: LambdaFunctionDefinition, logStreamName: string): Record<string, string> {
  return {
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_LOG_FORMAT: fn.logFormat === "json" ? "JSON" : "TEXT",
    ...(fn.applicationLogLevel === undefined ? {} : { AWS_LAMBDA_LOG_LEVEL: fn.applicationLogLevel }),
    LAMBDA_TASK_ROOT: fn.bundleDirectory,
    TZ: ":UTC",
    ...fn.environment,
  };
}

/** A running execution environment of one function. */
export class LambdaSandbox {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private output = "";
  private standardOutput = "";

  private constructor(
    private readonly fn: LambdaFunctionDefinition,
    private readonly env: Readonly<Record<string, string>>,
    private readonly accountId: string,
    private readonly sandboxModule: string,
  ) {}

  /**
   * Prepares an environment for `fn` (its process starts on the first invocation).
   *
   * @param env every variable the function's process gets: {@link lambdaEnvironment}, credentials, endpoints.
   * @param sandboxModule the module {@link prepareSandboxModule} wrote.
   */
  static create(fn: LambdaFunctionDefinition, env: Readonly<Record<string, string>>, accountId: string, sandboxModule: string): LambdaSandbox {
    return new LambdaSandbox(fn, env, accountId, sandboxModule);
  }

  /**
   * Every line the function wrote straight to standard output (not through `console`), as Lambda sends such lines
   * to CloudWatch Logs unchanged: the processor's failure records and embedded-metric-format lines.
   */
  get rawStdoutLines(): string[] {
    return this.standardOutput.split("\n").filter((line) => line !== "");
  }

  /** What the environment's process wrote to stdout and stderr outside `console` (the last 4,000 characters). */
  get processOutput(): string {
    return this.output;
  }

  /** Invokes the handler with `event`; never rejects (failures are outcomes). */
  async invoke(event: unknown, requestId: string, options: InvokeOptions = {}): Promise<SandboxInvocation> {
    const child = this.child ?? this.spawn();
    const id = this.nextId++;
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const request: ChildInvokeRequest = {
      id,
      event,
      ...(options.clockMs === undefined ? {} : { clockMs: options.clockMs }),
      context: {
        awsRequestId: requestId,
        functionName: this.fn.functionName,
        functionVersion: "$LATEST",
        invokedFunctionArn: `arn:aws:lambda:${this.fn.region}:${this.accountId}:function:${this.fn.functionName}`,
        memoryLimitInMB: String(this.fn.memorySizeMb),
        logGroupName: this.fn.logGroupName,
        logStreamName: String(this.env.AWS_LAMBDA_LOG_STREAM_NAME ?? ""),
        deadlineMs: Date.now() + timeoutMs,
      },
    };
    const started = performance.now();
    return new Promise<SandboxInvocation>((resolve) => {
      const finish = (invocation: SandboxInvocation): void => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(invocation);
      };
      const onMessage = (message: ChildInvocationResult): void => {
        if (message.id !== id) return;
        finish({
          outcome: message.outcome,
          logs: message.logs,
          durationMs: message.durationMs,
          maxMemoryUsedMb: message.maxMemoryUsedMb,
          ...(message.init === undefined ? {} : { init: { durationMs: message.init.durationMs, logs: message.init.logs } }),
        });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.child = undefined;
        finish({
          outcome: { kind: "crash", detail: signal === null ? `exit status ${code}` : `signal: ${signal}` },
          logs: [],
          durationMs: performance.now() - started,
          maxMemoryUsedMb: 0,
        });
      };
      const timer = setTimeout(() => {
        child.off("exit", onExit);
        this.kill();
        finish({ outcome: { kind: "timeout" }, logs: [], durationMs: timeoutMs, maxMemoryUsedMb: 0 });
      }, timeoutMs);
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send(request);
    });
  }

  /** Ends the environment's process. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once("exit", () => resolve());
      child.disconnect();
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    });
  }

  private kill(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }

  private spawn(): ChildProcess {
    const child = fork(this.sandboxModule, [this.fn.handlerFile, this.fn.handlerExport], {
      // Lambda's working directory is the task root, where the bundle is.
      cwd: this.fn.bundleDirectory,
      // Only what Lambda would set, plus PATH: none of this process's credentials or settings leak in.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...this.env },
      execArgv: [],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString("utf8")).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stdout?.on("data", (chunk: Buffer) => {
      this.standardOutput += chunk.toString("utf8");
    });
    child.stderr?.on("data", keep);
    this.child = child;
    return child;
  }
}
