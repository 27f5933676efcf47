import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readTriageWidgetConfig } from "./config";
import { handleWidgetEvent } from "./triage-widget";

// Cold start: a missing variable fails the init phase with a message naming it.
const config = readTriageWidgetConfig(process.env);

/**
 * Connection and request timeouts, like the other handlers' (handlers/quiet-notices/index.ts): `throwOnRequestTimeout`
 * makes a request that passes `requestTimeout` fail instead of waiting into the function's timeout. Every write the
 * widget makes is idempotent (the same action twice leaves the same state), so the SDK may retry it.
 */
const dynamodb = new DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000, throwOnRequestTimeout: true } });

/** The part of the Lambda context the handler reads. */
export interface WidgetInvocationContext {
  /** The ARN the function was invoked by (with its qualifier, if any): the buttons call the same one back. */
  readonly invokedFunctionArn: string;
}

/**
 * Entry point, invoked by a CloudWatch dashboard's custom widget (and by the widget's own buttons): returns the
 * widget's HTML (see triage-widget.ts).
 */
export async function handler(event: unknown, context: WidgetInvocationContext): Promise<string> {
  return handleWidgetEvent(event, {
    client: dynamodb,
    tableName: config.suppressionTableName,
    region: config.region,
    processorLogGroup: config.processorLogGroup,
    endpoint: context.invokedFunctionArn,
    now: () => Date.now(),
    log: (line) => console.info(JSON.stringify(line)),
  });
}
