import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";

/** A running fauxqs server (SNS and SQS over their real APIs). */
export interface LocalFauxqs {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SNS` and `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (npm `fauxqs`, MIT) in a child process on a free loopback port. It emulates SNS and SQS over their
 * real wire protocols, with SNS → SQS fan-out and subscription filter policies. What it does not check the way SNS
 * does (the Publish subject's length, the bodies of a `MessageStructure: "json"` message per protocol) is checked by
 * the fault proxy in front of it (fault-proxy.ts), so that a test never takes fauxqs's acceptance for SNS's.
 */
export async function startFauxqs(): Promise<LocalFauxqs> {
  const script = path.join(__dirname, "fauxqs-server.mjs");
  const child: ChildProcess = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", script], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString("utf8");
      const line = buffered.split("\n")[0];
      if (!buffered.includes("\n") || line === undefined) return;
      child.stdout?.off("data", onData);
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`fauxqs did not start: ${line}`));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`fauxqs exited with status ${code} before listening`)));
    child.once("error", reject);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        // The pipes go too, so that no handle of the child outlives it.
        const closePipes = (): void => {
          child.stdin?.destroy();
          child.stdout?.destroy();
        };
        if (child.exitCode !== null || child.signalCode !== null) {
          closePipes();
          return resolve();
        }
        child.once("exit", () => {
          closePipes();
          resolve();
        });
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
      }),
  };
}
