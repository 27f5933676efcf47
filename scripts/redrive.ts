import { KinesisClient } from "@aws-sdk/client-kinesis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { loadConfig } from "../config/config";
import { environmentWithDeployment } from "../config/deployment-file";
import { resourceName } from "../config/naming";
import { lambdaProcessor, sqsDeadLetterQueue } from "../lib/redrive/aws-adapters";
import { parseRedriveArgs, REDRIVE_USAGE } from "../lib/redrive/cli-options";
import { readCommandLine } from "../lib/cli/args";
import { ErrorContext, runTool } from "../lib/cli/errors";
import { kinesisBatchReader } from "../lib/redrive/kinesis-batch";
import { redrive, RedriveOutcome } from "../lib/redrive/redrive";

/** What the command was calling when it failed, for the shared error messages. */
let context: ErrorContext = { ...(process.env.AWS_PROFILE ? { profile: process.env.AWS_PROFILE } : {}) };

/**
 * `npm run redrive -- [--dry-run] [--max N]`: exit 0 when nothing failed, 1 when a message failed again or AWS
 * failed, 2 on bad usage or configuration.
 */
async function main(): Promise<number> {
  const options = readCommandLine("redrive", REDRIVE_USAGE, () => parseRedriveArgs(process.argv.slice(2)));
  if (typeof options === "number") return options;

  const config = loadConfig(environmentWithDeployment(process.env));
  const queueName = resourceName(config, "log-processor-dlq");
  const functionName = resourceName(config, "log-processor");
  context = {
    ...context,
    service: "SQS",
    region: config.region,
    missingResource: `the dead-letter queue ${queueName} does not exist in ${config.region}: is the processing stack deployed for LOG_MONITOR_ENV=${config.environment}?`,
  };
  const queue = await sqsDeadLetterQueue(new SQSClient({ region: config.region }), queueName);
  const processor = lambdaProcessor(new LambdaClient({ region: config.region }), functionName);
  const total = Math.min(await queue.approximateSize(), options.max ?? Number.POSITIVE_INFINITY);

  process.stdout.write(
    `${options.dryRun ? "Listing" : "Redriving"} about ${total} message(s) from ${queueName}` +
      `${options.dryRun ? "" : ` through ${functionName}`} (${config.region})\n`,
  );
  context = {
    ...context,
    service: options.dryRun ? "SQS" : "SQS and Lambda",
    missingResource: `the log processor ${functionName} or its dead-letter queue does not exist in ${config.region}: is the processing stack deployed for LOG_MONITOR_ENV=${config.environment}?`,
  };
  let handled = 0;
  const progress = new ProgressBar(total, process.stderr);
  const summary = await redrive(queue, processor, {
    dryRun: options.dryRun,
    ...(options.max === undefined ? {} : { max: options.max }),
    // On the Kinesis transport the queue holds batch descriptions; their records are read back from the stream.
    kinesis: kinesisBatchReader(new KinesisClient({ region: config.region })),
    onOutcome: (outcome: RedriveOutcome) => {
      handled++;
      if (outcome.kind === "failed") {
        progress.clear();
        process.stdout.write(`kept ${outcome.id}: failed again: ${outcome.error}\n`);
      } else if (outcome.kind === "listed") {
        progress.clear();
        process.stdout.write(`${outcome.id} (${outcome.bytes} bytes)${outcome.originalError ? `: ${outcome.originalError}` : ""}\n`);
      }
      progress.update(handled);
    },
  });
  progress.clear();

  process.stdout.write(
    options.dryRun
      ? `Dry run: ${summary.listed} message(s) listed; nothing invoked or deleted.\n`
      : `Done: ${summary.redriven} redriven and deleted, ${summary.failed} failed again and kept in ${queueName}.\n`,
  );
  return summary.failed > 0 ? 1 : 0;
}

/** A one-line progress bar on a terminal; silent when the output is not one (CI logs, pipes). */
class ProgressBar {
  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {}

  update(done: number): void {
    if (!this.stream.isTTY) return;
    const width = 30;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(share * width);
    this.stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${this.total}`);
  }

  clear(): void {
    if (this.stream.isTTY) this.stream.write("\r\x1b[K");
  }
}

runTool("redrive", main, () => context);
