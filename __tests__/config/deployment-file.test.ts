import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError, KNOWN_VARIABLES, loadConfig } from "../../config/config";
import { deploymentFileKeys, environmentWithDeployment, parseDeploymentFile } from "../../config/deployment-file";

/** `environmentWithDeployment` over an in-memory file named `deployments/test.env`. */
function merge(env: Record<string, string | undefined>, text: string): Readonly<Record<string, string | undefined>> {
  return environmentWithDeployment(
    { LOG_MONITOR_DEPLOYMENT: "deployments/test.env", ...env },
    {
      cwd: "/project",
      readFile: (file) => {
        if (file !== path.join("/project", "deployments", "test.env")) throw new Error(`unexpected read of ${file}`);
        return text;
      },
    },
  );
}

function messageOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("deployment file (LOG_MONITOR_DEPLOYMENT)", () => {
  it("leaves the environment alone when no file is named", () => {
    const env = { LOG_MONITOR_ENV: "prod" };
    expect(environmentWithDeployment(env)).toBe(env);
    expect(environmentWithDeployment({ ...env, LOG_MONITOR_DEPLOYMENT: " " })).toEqual({ ...env, LOG_MONITOR_DEPLOYMENT: " " });
  });

  it("reads KEY=VALUE lines literally: comments and blank lines skipped, no quotes removed, no $ expanded, # kept in a value", () => {
    const text = [
      "# prod in eu-west-1",
      "",
      "AWS_REGION=eu-west-1",
      "   # indented comment",
      "LOG_MONITOR_ENV=prod\r",
      'LOG_MONITOR_LOG_GROUPS=[{"name": "/ecs/payments#1", "metricPattern": "{ $.level = \\"ERROR\\" }"}]',
      "LOG_MONITOR_ALERT_EMAILS=team@example.com, oncall@example.com:critical",
      "LOG_MONITOR_KMS_KEY_ARN=",
    ].join("\n");

    expect(parseDeploymentFile(text, "prod.env")).toEqual([
      { key: "AWS_REGION", value: "eu-west-1", line: 3 },
      { key: "LOG_MONITOR_ENV", value: "prod", line: 5 },
      { key: "LOG_MONITOR_LOG_GROUPS", value: '[{"name": "/ecs/payments#1", "metricPattern": "{ $.level = \\"ERROR\\" }"}]', line: 6 },
      { key: "LOG_MONITOR_ALERT_EMAILS", value: "team@example.com, oncall@example.com:critical", line: 7 },
      { key: "LOG_MONITOR_KMS_KEY_ARN", value: "", line: 8 },
    ]);
  });

  it("gives loadConfig the file's values for variables the environment leaves unset, and keeps the others", () => {
    const env = merge({ AWS_PROFILE: "ops", LOG_MONITOR_ENV: "prod" }, "LOG_MONITOR_ENV=prod\nAWS_REGION=eu-west-1\nLOG_MONITOR_LOG_GROUPS=/ecs/payments\n");

    expect(env).toEqual({
      AWS_PROFILE: "ops",
      LOG_MONITOR_DEPLOYMENT: "deployments/test.env",
      LOG_MONITOR_ENV: "prod",
      AWS_REGION: "eu-west-1",
      LOG_MONITOR_LOG_GROUPS: "/ecs/payments",
    });
    const config = loadConfig(env);
    expect([config.environment, config.region, config.logGroups.map((group) => group.name)]).toEqual(["prod", "eu-west-1", ["/ecs/payments"]]);
  });

  it("refuses a variable set in the environment to a different value than the file's, naming both", () => {
    expect(messageOf(() => merge({ LOG_MONITOR_ENV: "staging" }, "# prod\nLOG_MONITOR_ENV=prod\nAWS_REGION=eu-west-1\n"))).toBe(
      'LOG_MONITOR_ENV: "staging" is set in the environment, but deployments/test.env (line 2) sets "prod": unset it, or change the file, so that deploy and the PR diff read the same value',
    );
    // An empty value in the environment is a value too: it would silently drop the file's setting.
    expect(messageOf(() => merge({ LOG_MONITOR_LOG_GROUPS: "" }, "LOG_MONITOR_LOG_GROUPS=/ecs/payments\nAWS_REGION=eu-west-1"))).toBe(
      'LOG_MONITOR_LOG_GROUPS: "" is set in the environment, but deployments/test.env (line 1) sets "/ecs/payments": unset it, or change the file, so that deploy and the PR diff read the same value',
    );
    // The same value, as loadConfig reads it (trimmed), is no conflict.
    expect(merge({ AWS_REGION: "eu-west-1 " }, "AWS_REGION=eu-west-1")["AWS_REGION"]).toBe("eu-west-1");
  });

  it("refuses a LOG_MONITOR_* variable only the environment sets: one machine's plan would differ from the workflow's", () => {
    expect(messageOf(() => merge({ LOG_MONITOR_LOG_GROUPS: "/ecs/payments" }, "AWS_REGION=eu-west-1\nLOG_MONITOR_ENV=prod"))).toBe(
      'LOG_MONITOR_LOG_GROUPS: "/ecs/payments" is set in the environment but not in deployments/test.env: with a deployment file, the configuration is the file\'s, so that deploy and the PR diff read the same values; add it to the file, or unset it',
    );
    // Empty is unset to loadConfig (an unset repository variable in a workflow is empty); credentials are not configuration.
    expect(() => merge({ LOG_MONITOR_LOG_GROUPS: "", AWS_PROFILE: "ops", AWS_DEFAULT_REGION: "us-east-2" }, "AWS_REGION=eu-west-1")).not.toThrow();
  });

  it("refuses a file that names no region, which each shell would otherwise choose", () => {
    expect(messageOf(() => merge({}, "LOG_MONITOR_ENV=prod"))).toBe(
      'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" sets no AWS_REGION: a deployment names its region (AWS_REGION=<region>)',
    );
  });

  it.each([
    ["export LOG_MONITOR_ENV=prod", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: "export LOG_MONITOR_ENV" is not a variable name: write KEY=VALUE with no spaces, quotes or "export" before the ='],
    ["LOG_MONITOR_ENV = prod", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: "LOG_MONITOR_ENV " is not a variable name: write KEY=VALUE with no spaces, quotes or "export" before the ='],
    ["LOG_MONITOR_ENV", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: is not KEY=VALUE (a comment line starts with #)'],
    ["AWS_SECRET_ACCESS_KEY=abc", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: AWS_SECRET_ACCESS_KEY is not allowed in a deployment file: only log-monitor\'s own variables, AWS_REGION and AWS_DEFAULT_REGION (credentials and profiles stay out of the repository)'],
    ["AWS_PROFILE=ops", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: AWS_PROFILE is not allowed in a deployment file: only log-monitor\'s own variables, AWS_REGION and AWS_DEFAULT_REGION (credentials and profiles stay out of the repository)'],
    ["LOG_MONITOR_DEPLOYMENT=other.env", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 1: LOG_MONITOR_DEPLOYMENT cannot be set in a deployment file: it names the file'],
    ["LOG_MONITOR_ENVIRONMENT=prod", 'LOG_MONITOR_ENVIRONMENT: "prod" is not a variable log-monitor reads: did you mean LOG_MONITOR_ENV? (deployments/test.env, line 1)'],
    ["LOG_MONITOR_ENV=prod\nLOG_MONITOR_ENV=dev", 'LOG_MONITOR_DEPLOYMENT: "deployments/test.env" line 2: LOG_MONITOR_ENV is already set on line 1: set each variable once'],
    ["LOG_MONITOR_ALERT_EMAILS='ops@example.com'", "LOG_MONITOR_ALERT_EMAILS: \"'ops@example.com'\" is quoted (deployments/test.env, line 1): values in a deployment file are taken literally, so remove the quotes"],
  ])("refuses %j with one line naming the file and the line", (text, message) => {
    expect(messageOf(() => merge({}, text))).toBe(message);
  });

  it("names a file that cannot be read, and where a relative name was looked for", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "deployment-"));
    fs.mkdirSync(path.join(folder, "deployments"));

    expect(messageOf(() => environmentWithDeployment({ LOG_MONITOR_DEPLOYMENT: "deployments/prod.env" }, { cwd: folder }))).toBe(
      `LOG_MONITOR_DEPLOYMENT: "deployments/prod.env" cannot be read: no such file (relative names are read from ${folder})`,
    );
    expect(messageOf(() => environmentWithDeployment({ LOG_MONITOR_DEPLOYMENT: "deployments" }, { cwd: folder }))).toBe(
      `LOG_MONITOR_DEPLOYMENT: "deployments" cannot be read: is a folder, not a file (relative names are read from ${folder})`,
    );
  });

  it("is a variable the configuration knows, and a file may set every other one plus the two region variables", () => {
    expect(KNOWN_VARIABLES).toContain("LOG_MONITOR_DEPLOYMENT");
    expect(() => loadConfig({ LOG_MONITOR_DEPLOYMENT: "deployments/prod.env" })).not.toThrow();
    const everything = deploymentFileKeys().map((key) => `${key}=`).join("\n");
    expect(parseDeploymentFile(everything, "all.env")).toHaveLength(KNOWN_VARIABLES.length - 1 + 2);
  });
});
