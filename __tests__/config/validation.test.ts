import { bucketNameProblem, ConfigurationError, KNOWN_VARIABLES, loadConfig } from "../../config/config";
import { closestKnownVariable } from "../../config/variables";
import * as fs from "fs";
import * as path from "path";

const messageOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("loadConfig accepted the configuration");
};

// S3 user guide, "General purpose bucket naming rules"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
describe("LOG_MONITOR_STATE_BUCKET follows S3's general purpose bucket naming rules", () => {
  it.each([
    ["abc", "the shortest name, 3 characters"],
    ["a".repeat(63), "the longest name, 63 characters"],
    ["my.state-bucket.2026", "dots and hyphens inside"],
    ["xn-a-bucket", "xn- without the second hyphen"],
    ["my-s3alias-state", "-s3alias inside, not at the end"],
    ["sthree", "sthree without the hyphen"],
    ["192.168.5.4a", "not an IP address"],
  ])("accepts %s (%s)", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
    expect(loadConfig({ LOG_MONITOR_STATE_BUCKET: name }).stateBackend).toMatchObject({ kind: "s3", bucket: name });
  });

  it.each([
    ["ab", "it has 2 characters; use 3 to 63"],
    ["a".repeat(64), "it has 64 characters; use 3 to 63"],
    ["My-Bucket", "use only lower-case letters, digits, dots and hyphens"],
    ["my_bucket", "use only lower-case letters, digits, dots and hyphens"],
    ["-bucket", "it must start and end with a letter or digit"],
    ["bucket.", "it must start and end with a letter or digit"],
    ["my..bucket", "it must not contain two adjacent dots"],
    ["192.168.5.4", "it must not be formatted as an IP address"],
    ["xn--state-bucket", "the prefix xn-- is reserved by S3"],
    ["sthree-state", "the prefix sthree- is reserved by S3"],
    ["sthree-configurator-state", "the prefix sthree- is reserved by S3"],
    ["amzn-s3-demo-bucket", "the prefix amzn-s3-demo- is reserved by S3"],
    ["my-state-s3alias", "the suffix -s3alias is reserved by S3"],
    ["my-state--ol-s3", "the suffix --ol-s3 is reserved by S3"],
    ["my-state.mrap", "the suffix .mrap is reserved by S3"],
    ["my-state--x-s3", "the suffix --x-s3 is reserved by S3"],
    ["my-state--table-s3", "the suffix --table-s3 is reserved by S3"],
  ])("refuses %s: %s", (name, problem) => {
    expect(messageOf({ LOG_MONITOR_STATE_BUCKET: name })).toBe(
      `LOG_MONITOR_STATE_BUCKET: ${JSON.stringify(name)} is not a valid S3 bucket name: ${problem}`,
    );
  });
});

describe("LOG_MONITOR_LOG_GROUPS", () => {
  it("refuses a list with no name in it instead of monitoring nothing", () => {
    expect(messageOf({ LOG_MONITOR_LOG_GROUPS: ",," })).toBe(
      'LOG_MONITOR_LOG_GROUPS: ",," lists no log group: give names separated by commas, or unset it',
    );
    expect(messageOf({ LOG_MONITOR_LOG_GROUPS: " , " })).toBe(
      'LOG_MONITOR_LOG_GROUPS: " , " lists no log group: give names separated by commas, or unset it',
    );
    expect(messageOf({ LOG_MONITOR_LOG_GROUPS: "[]" })).toBe(
      'LOG_MONITOR_LOG_GROUPS: "[]" lists no log group: give names separated by commas, or unset it',
    );
  });

  it("says that a JSON object must be wrapped in an array, rather than calling it a bad log group name", () => {
    const value = '{"name": "/aws/lambda/orders"}';
    expect(messageOf({ LOG_MONITOR_LOG_GROUPS: value })).toBe(
      `LOG_MONITOR_LOG_GROUPS: ${JSON.stringify(value)} is a JSON object, not an array: wrap it in [ ], as in [{"name": "/aws/lambda/orders"}]`,
    );
  });

  it("still accepts a trailing comma after names", () => {
    expect(loadConfig({ LOG_MONITOR_LOG_GROUPS: "/aws/lambda/orders," }).logGroups).toEqual([{ name: "/aws/lambda/orders" }]);
  });
});

describe("unknown LOG_MONITOR_* variables", () => {
  it.each([
    ["LOG_MONITOR_ENVIRONMENT", "prod", "LOG_MONITOR_ENV"],
    ["LOG_MONITOR_STATE_BUCKT", "my-state", "LOG_MONITOR_STATE_BUCKET"],
    ["LOG_MONITOR_ALERT_EMAIL", "ops@example.com", "LOG_MONITOR_ALERT_EMAILS"],
    ["LOG_MONITOR_RETENTION_DAYS", "7", "LOG_MONITOR_LOG_RETENTION_DAYS"],
    ["LOG_MONITOR_LOGGROUPS", "/aws/lambda/x", "LOG_MONITOR_LOG_GROUPS"],
    ["LOG_MONITOR_SUPRESSION_MINUTES", "5", "LOG_MONITOR_SUPPRESSION_MINUTES"],
  ])("refuses %s=%s and suggests %s", (name, value, suggestion) => {
    expect(messageOf({ [name]: value })).toBe(`${name}: ${JSON.stringify(value)} is not a variable log-monitor reads: did you mean ${suggestion}?`);
  });

  it("refuses a name far from every known one without a guess", () => {
    expect(messageOf({ LOG_MONITOR_COLOUR_SCHEME: "dark" })).toBe(
      'LOG_MONITOR_COLOUR_SCHEME: "dark" is not a variable log-monitor reads (see README, Configuration)',
    );
    expect(closestKnownVariable("LOG_MONITOR_COLOUR_SCHEME")).toBeUndefined();
  });

  it("leaves variables of other tools alone", () => {
    expect(() => loadConfig({ AWS_PROFILE: "dev", LOGMONITOR_X: "1", TF_LOG: "debug" })).not.toThrow();
  });

  it("lists every LOG_MONITOR_* name that the configuration and the README and docs/ mention, and nothing else", () => {
    const root = path.join(__dirname, "..", "..");
    const namesIn = (file: string): string[] => [...new Set(fs.readFileSync(path.join(root, file), "utf8").match(/LOG_MONITOR_[A-Z0-9_]*[A-Z0-9]/g) ?? [])];
    const readByConfig = fs
      .readdirSync(path.join(root, "config"))
      .filter((file) => file !== "variables.ts")
      .flatMap((file) => namesIn(path.join("config", file)));
    expect([...new Set(readByConfig)].sort()).toEqual([...KNOWN_VARIABLES].sort());
    const documents = ["README.md", ...fs.readdirSync(path.join(root, "docs")).filter((file) => file.endsWith(".md")).map((file) => path.join("docs", file))];
    for (const name of documents.flatMap(namesIn)) {
      if (/^LOG_MONITOR_(ENVIRONMENT|DEBUG)$/.test(name)) continue; // the docs' examples of what is refused
      if (name === "LOG_MONITOR_DIFF_ROLE_ARN") continue; // a repository variable of the PR workflow (diff.yml), never read by synth
      expect(KNOWN_VARIABLES).toContain(name);
    }
    // The README's table of variables names every one (it is the front door's one-screen summary).
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    expect(KNOWN_VARIABLES.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
