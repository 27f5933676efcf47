/** What the incidents command was doing, for error messages. */
export interface IncidentsErrorContext {
  readonly tableName: string;
  /** The index queried; none for the mute subcommands, which use the table itself. */
  readonly indexName?: string;
  /**
   * Which of the environment's tables was called: the incidents table (listing) or the alert-suppression table
   * (mute, unmute, mutes), so that a missing one is named for what it is.
   * @default "incidents"
   */
  readonly table?: "incidents" | "alert-suppression";
  readonly region: string;
  readonly environment: string;
}

/**
 * A message a person can act on for the AWS errors the command expects, or `undefined` for any other error
 * (which is then shown as it is):
 * - ResourceNotFoundException: the table (or its index) is not there, in this region: not deployed, or another
 *   environment or region was meant.
 * - CredentialsProviderError: the SDK's credential chain found nothing.
 * - AccessDeniedException: the caller may not Query the index.
 * - UnrecognizedClientException, ExpiredTokenException: credentials that AWS rejects.
 */
export function explainIncidentsError(error: unknown, context: IncidentsErrorContext): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case "ResourceNotFoundException":
      return (
        `the ${context.table ?? "incidents"} table ${context.tableName}` +
        `${context.indexName === undefined ? "" : ` (or its ${context.indexName} index)`} does not exist in ${context.region}: ` +
        `is the processing stack deployed for LOG_MONITOR_ENV=${context.environment}` +
        `${context.table === "alert-suppression" ? ", with real-time alerts on (LOG_MONITOR_REALTIME_ALERTS)" : ""}? ` +
        "(Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)"
      );
    case "CredentialsProviderError":
      return (
        "no AWS credentials found. Provide them the standard way: AWS_PROFILE=<profile> (after `aws configure` or " +
        "`aws sso login --profile <profile>`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for " +
        "temporary credentials), or run where an IAM role is available."
      );
    case "AccessDeniedException":
      return (
        (context.table === "alert-suppression"
          ? `not allowed to use ${context.tableName} in ${context.region}: the caller needs dynamodb:UpdateItem (mute, unmute) ` +
            `and dynamodb:Scan (mutes) on arn:aws:dynamodb:${context.region}:<account>:table/${context.tableName}. `
          : `not allowed to query ${context.tableName} in ${context.region}: the caller needs dynamodb:Query on ` +
            `arn:aws:dynamodb:${context.region}:<account>:table/${context.tableName}/index/*. `) +
        `AWS said: ${(error as Error).message}`
      );
    case "UnrecognizedClientException":
    case "ExpiredTokenException":
      return (
        `AWS rejected the credentials (${String(name)}: ${(error as Error).message}). Refresh them ` +
        "(for example `aws sso login`) or check AWS_PROFILE and AWS_ACCESS_KEY_ID."
      );
    default:
      return undefined;
  }
}
