/**
 * On-call paging: `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER` names the SSM parameter (a SecureString) that holds the
 * HTTPS endpoint of PagerDuty's Amazon CloudWatch integration or of another webhook. Only the parameter's name is
 * configuration; the endpoint (which carries the integration key) is read by Terraform at plan time and never
 * appears in the repository, the synthesized JSON or the pull request's plan (docs/alerts-and-chat.md, On-call paging).
 */
import { ConfigurationError } from "./config-error";
import { partitionOfRegion } from "./regions";

const VARIABLE = "LOG_MONITOR_PAGER_ENDPOINT_PARAMETER";

/**
 * The name the user gives may hold at most 1011 characters counted with the ARN before it: "The maximum length for a
 * parameter name that you specify is 1011 characters. This count of 1011 characters includes the characters in the
 * ARN that precede the name you specify" (boto/botocore botocore/data/ssm/2014-11-06/service-2.json, PutParameterRequest
 * `Name`; the model's own `PSParameterName` max of 2048 includes 1037 characters SSM reserves).
 */
export const SSM_PARAMETER_NAME_WITH_ARN_MAX_LENGTH = 1011;
/** "Parameter hierarchies are limited to a maximum depth of fifteen levels" (same document). */
export const SSM_PARAMETER_MAX_DEPTH = 15;
/** "Parameter names can include only the following symbols and letters: a-zA-Z0-9_.-" plus `/` between levels. */
const SEGMENT = /^[a-zA-Z0-9_.-]+$/;

/**
 * Checks the value of `LOG_MONITOR_PAGER_ENDPOINT_PARAMETER` against SSM's naming constraints, so that a name
 * `GetParameter` would refuse stops synth with one line rather than `terraform plan`. A value that looks like the
 * endpoint itself is refused without being echoed: it would carry the integration key.
 *
 * @returns the parameter's name, or `undefined` when the variable is unset (no paging).
 * @throws ConfigurationError naming the variable.
 */
export function parsePagerEndpointParameter(value: string | undefined, region: string): string | undefined {
  if (value === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes("pagerduty.com")) {
    throw new ConfigurationError(
      VARIABLE,
      "<redacted>",
      "is an endpoint, not the name of an SSM parameter: store the URL in a SecureString parameter and name the parameter here (the URL holds the integration key and must stay out of the repository)",
    );
  }
  if (value.startsWith("arn:")) {
    throw new ConfigurationError(VARIABLE, value, "is an ARN: give the parameter's name (e.g. /log-monitor/prod/pager-endpoint), in the account and region of the deployment");
  }
  const hierarchical = value.includes("/");
  if (hierarchical && !value.startsWith("/")) {
    throw new ConfigurationError(VARIABLE, value, "must start with / when it has levels (e.g. /log-monitor/prod/pager-endpoint), as SSM requires");
  }
  const segments = hierarchical ? value.slice(1).split("/") : [value];
  if (segments.some((segment) => !SEGMENT.test(segment))) {
    throw new ConfigurationError(VARIABLE, value, "is not an SSM parameter name: only letters, digits, _ . - and / between non-empty levels are allowed");
  }
  if (/^(aws|ssm)/i.test(segments[0] ?? "")) {
    throw new ConfigurationError(VARIABLE, value, 'starts with "aws" or "ssm", which SSM reserves: choose another name (e.g. /log-monitor/prod/pager-endpoint)');
  }
  if (segments.length > SSM_PARAMETER_MAX_DEPTH) {
    throw new ConfigurationError(VARIABLE, value, `has ${segments.length} levels; SSM allows ${SSM_PARAMETER_MAX_DEPTH}`);
  }
  const arnPrefix = `arn:${partitionOfRegion(region) ?? "aws"}:ssm:${region}:000000000000:parameter/`;
  const length = arnPrefix.length + segments.join("/").length;
  if (length > SSM_PARAMETER_NAME_WITH_ARN_MAX_LENGTH) {
    throw new ConfigurationError(
      VARIABLE,
      value,
      `is ${length} characters long with its ARN in ${region}; SSM allows ${SSM_PARAMETER_NAME_WITH_ARN_MAX_LENGTH}`,
    );
  }
  return value;
}
