import { ConfigurationError, loadConfig } from "../../config/config";
import { SSM_PARAMETER_MAX_DEPTH, SSM_PARAMETER_NAME_WITH_ARN_MAX_LENGTH } from "../../config/paging";

/**
 * LOG_MONITOR_PAGER_ENDPOINT_PARAMETER names an SSM parameter; SSM's naming rules are refused at synth, one line each.
 * Source: boto/botocore botocore/data/ssm/2014-11-06/service-2.json (commit 0e6e2404), PutParameterRequest `Name`:
 * characters a-zA-Z0-9_.- and / between levels, a leading / for a hierarchy, no "aws"/"ssm" prefix (case-insensitive),
 * at most 15 levels, at most 1011 characters counted with the ARN before the name (`PSParameterName` max 2048
 * includes 1037 reserved characters).
 */
const VARIABLE = "LOG_MONITOR_PAGER_ENDPOINT_PARAMETER";
const base = { AWS_REGION: "eu-west-1", LOG_MONITOR_ENV: "test" };

function messageOf(value: string, region = "eu-west-1"): string {
  try {
    loadConfig({ ...base, AWS_REGION: region, [VARIABLE]: value });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message.split("\n")).toHaveLength(1);
    return message;
  }
  throw new Error(`${value} was accepted`);
}

describe(VARIABLE, () => {
  it("is optional: without it there is no pager", () => {
    expect(loadConfig(base).pagerEndpointParameter).toBeUndefined();
    expect(loadConfig({ ...base, [VARIABLE]: " " }).pagerEndpointParameter).toBeUndefined();
  });

  it("accepts a plain name and a hierarchical one", () => {
    expect(loadConfig({ ...base, [VARIABLE]: "pager-endpoint" }).pagerEndpointParameter).toBe("pager-endpoint");
    expect(loadConfig({ ...base, [VARIABLE]: " /log-monitor/prod/pager_endpoint.v2 " }).pagerEndpointParameter).toBe(
      "/log-monitor/prod/pager_endpoint.v2",
    );
  });

  it("accepts the longest name SSM allows in the region, counted with its ARN, and refuses one more character", () => {
    // arn:aws:ssm:eu-west-1:<12 digits>:parameter/ is 45 characters, as AWS's us-east-2 example.
    const prefixLength = "arn:aws:ssm:eu-west-1:000000000000:parameter/".length;
    expect(prefixLength).toBe(45);
    const longest = `/${"p".repeat(SSM_PARAMETER_NAME_WITH_ARN_MAX_LENGTH - prefixLength)}`;
    expect(loadConfig({ ...base, [VARIABLE]: longest }).pagerEndpointParameter).toBe(longest);
    expect(messageOf(`${longest}q`)).toBe(`${VARIABLE}: "${longest}q" is 1012 characters long with its ARN in eu-west-1; SSM allows 1011`);
    // A longer region leaves fewer characters: the same name is refused in ap-southeast-5 (the ARN is 50 characters).
    expect(messageOf(longest, "ap-southeast-5")).toContain("is 1016 characters long with its ARN in ap-southeast-5; SSM allows 1011");
  });

  it("accepts 15 levels and refuses 16", () => {
    const levels = (n: number) => `/${Array.from({ length: n }, (_, i) => `l${i}`).join("/")}`;
    expect(loadConfig({ ...base, [VARIABLE]: levels(SSM_PARAMETER_MAX_DEPTH) }).pagerEndpointParameter).toBe(levels(15));
    expect(messageOf(levels(16))).toBe(`${VARIABLE}: "${levels(16)}" has 16 levels; SSM allows 15`);
  });

  it("refuses characters, empty levels and relative hierarchies SSM refuses", () => {
    const notAName = "is not an SSM parameter name: only letters, digits, _ . - and / between non-empty levels are allowed";
    expect(messageOf("pager endpoint")).toBe(`${VARIABLE}: "pager endpoint" ${notAName}`);
    expect(messageOf("/log-monitor//pager")).toBe(`${VARIABLE}: "/log-monitor//pager" ${notAName}`);
    expect(messageOf("/log-monitor/")).toBe(`${VARIABLE}: "/log-monitor/" ${notAName}`);
    expect(messageOf("/log-monitor/pager:1")).toBe(`${VARIABLE}: "/log-monitor/pager:1" ${notAName}`);
    expect(messageOf("log-monitor/pager")).toBe(
      `${VARIABLE}: "log-monitor/pager" must start with / when it has levels (e.g. /log-monitor/prod/pager-endpoint), as SSM requires`,
    );
  });

  it('refuses the reserved "aws" and "ssm" prefixes, in any case', () => {
    for (const name of ["/aws/reference/secretsmanager/pager", "awsPager", "/SSM/pager", "Ssm-pager"]) {
      expect(messageOf(name)).toBe(
        `${VARIABLE}: ${JSON.stringify(name)} starts with "aws" or "ssm", which SSM reserves: choose another name (e.g. /log-monitor/prod/pager-endpoint)`,
      );
    }
    expect(loadConfig({ ...base, [VARIABLE]: "/log-monitor/aws-pager" }).pagerEndpointParameter).toBe("/log-monitor/aws-pager");
  });

  it("refuses an ARN: the parameter is read in the deployment's account and region", () => {
    const arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/pager";
    expect(messageOf(arn)).toBe(
      `${VARIABLE}: "${arn}" is an ARN: give the parameter's name (e.g. /log-monitor/prod/pager-endpoint), in the account and region of the deployment`,
    );
  });

  it("refuses the endpoint itself without repeating it: the URL holds the integration key", () => {
    const key = "0123456789abcdef0123456789abcdef";
    for (const url of [`https://events.pagerduty.com/integration/${key}/enqueue`, `HTTPS://hooks.example.com/${key}`, `events.pagerduty.com/x-ere/${key}`]) {
      const message = messageOf(url);
      expect(message).toBe(
        `${VARIABLE}: "<redacted>" is an endpoint, not the name of an SSM parameter: store the URL in a SecureString parameter and name the parameter here (the URL holds the integration key and must stay out of the repository)`,
      );
      expect(message).not.toContain(key);
    }
  });
});
