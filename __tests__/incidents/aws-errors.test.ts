import { explainIncidentsError } from "../../lib/incidents/aws-errors";

const CONTEXT = {
  tableName: "log-monitor-prod-incidents",
  indexName: "by-log-group",
  region: "eu-west-1",
  environment: "prod",
};
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("explainIncidentsError", () => {
  it("names the table, region and environment when the table does not exist", () => {
    // Act / Assess
    expect(explainIncidentsError(named("ResourceNotFoundException", "Requested resource not found"), CONTEXT)).toBe(
      "the incidents table log-monitor-prod-incidents (or its by-log-group index) does not exist in eu-west-1: " +
        "is the processing stack deployed for LOG_MONITOR_ENV=prod? (Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)",
    );
  });

  it("names the alert-suppression table when the mute subcommands find it missing", () => {
    // Act / Assess
    expect(
      explainIncidentsError(named("ResourceNotFoundException", "Requested resource not found"), {
        tableName: "log-monitor-prod-alert-suppression",
        table: "alert-suppression",
        region: "eu-west-1",
        environment: "prod",
      }),
    ).toBe(
      "the alert-suppression table log-monitor-prod-alert-suppression does not exist in eu-west-1: " +
        "is the processing stack deployed for LOG_MONITOR_ENV=prod, with real-time alerts on (LOG_MONITOR_REALTIME_ALERTS)? " +
        "(Set LOG_MONITOR_ENV and AWS_REGION to the environment and region you deployed.)",
    );
  });

  it("says how to provide credentials when the credential chain found none", () => {
    // Act / Assess
    expect(
      explainIncidentsError(
        named("CredentialsProviderError", "Could not load credentials from any providers"),
        CONTEXT,
      ),
    ).toBe(
      "no AWS credentials found. Provide them the standard way: AWS_PROFILE=<profile> (after `aws configure` or " +
        "`aws sso login --profile <profile>`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for " +
        "temporary credentials), or run where an IAM role is available.",
    );
  });

  it("names the permission needed when access is denied", () => {
    // Act / Assess
    expect(
      explainIncidentsError(named("AccessDeniedException", "User: arn:aws:iam::1:user/x is not authorized"), CONTEXT),
    ).toBe(
      "not allowed to query log-monitor-prod-incidents in eu-west-1: the caller needs dynamodb:Query on " +
        "arn:aws:dynamodb:eu-west-1:<account>:table/log-monitor-prod-incidents/index/*. AWS said: User: arn:aws:iam::1:user/x is not authorized",
    );
  });

  it("asks to refresh credentials that AWS rejects", () => {
    // Act / Assess
    expect(
      explainIncidentsError(
        named("ExpiredTokenException", "The security token included in the request is expired"),
        CONTEXT,
      ),
    ).toBe(
      "AWS rejected the credentials (ExpiredTokenException: The security token included in the request is expired). " +
        "Refresh them (for example `aws sso login`) or check AWS_PROFILE and AWS_ACCESS_KEY_ID.",
    );
  });

  it("leaves other errors to be shown as they are", () => {
    // Act / Assess
    expect(
      explainIncidentsError(named("ProvisionedThroughputExceededException", "slow down"), CONTEXT),
    ).toBeUndefined();
  });
});
