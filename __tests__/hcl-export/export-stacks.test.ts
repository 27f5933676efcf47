import { typescriptArgs } from "../../lib/cli/run-typescript";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../../config/config";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { exportStacksAsHcl, ExportedStack, repointPath } from "../../lib/hcl-export/export-stacks";
import { createLogMonitorStacks } from "../../stacks/log-monitor";
import { REQUIRED_TERRAFORM_VERSION } from "../../stacks/log-monitor-stack";
import { withoutMetadata } from "../stacks/synth-helpers";
import { BlockList, Expression, HclBody, readHcl } from "./hcl-reader";
import { fmtProblems, loadConfiguration } from "./terraform-cli";

const STACK_IDS = ["state", "alerting", "processing", "dashboard"];
const CDKTF_OUTDIR = path.join(PROJECT_ROOT, "cdktf.out");

/** The environment without this project's variables, plus the given ones. */
function environment(variables: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION" && key !== "CDKTF_OUTDIR") clean[key] = value;
  }
  return { ...clean, ...variables };
}

/** The JSON synthesis to compare with: `main.ts` in its own process, as `cdktf synth` runs it. */
function synthesizeJson(variables: Record<string, string>): Record<string, Record<string, unknown>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-json-"));
  try {
    execFileSync(process.execPath, typescriptArgs("main.ts"), {
      cwd: PROJECT_ROOT,
      env: { ...environment(variables), CDKTF_OUTDIR: outdir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    return Object.fromEntries(
      STACK_IDS.map((id) => [id, JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"))]),
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof BlockList) && !(value instanceof Expression);
}

/**
 * The HCL read back in Terraform JSON's terms: blocks as lists of bodies, bare expressions as `${...}`
 * templates (depends_on names stay plain, as Terraform JSON writes them).
 */
function asJson(value: unknown, key?: string): unknown {
  if (value instanceof BlockList) return value.bodies.map((body) => asJson(body));
  if (value instanceof Expression) return key === "depends_on" ? value.text : `\${${value.text}}`;
  if (Array.isArray(value)) return value.map((item) => asJson(item, key));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJson(v, k)]));
  return value;
}

/**
 * The synthesized JSON with each block in list form, as the HCL has it (Terraform JSON writes a single
 * block as an object, and no blocks at all as []).
 */
function inBlockForm(json: unknown, hcl: unknown): unknown {
  if (hcl instanceof BlockList) {
    const items = Array.isArray(json) ? json : [json];
    return items.map((item, index) => inBlockForm(item, hcl.bodies[index]));
  }
  if (isObject(json) && isObject(hcl)) {
    return Object.fromEntries(
      Object.entries(json)
        .filter(([key, value]) => !(Array.isArray(value) && value.length === 0 && !(key in hcl)))
        .map(([key, value]) => [key, inBlockForm(value, hcl[key])]),
    );
  }
  if (Array.isArray(json) && Array.isArray(hcl)) return json.map((item, index) => inBlockForm(item, hcl[index]));
  return json;
}

/** Names of a section of the JSON: `<type>.<name>` for resources and data sources, names for outputs, types for providers. */
function addresses(json: Record<string, unknown>, section: "resource" | "data" | "output" | "provider"): string[] {
  const entries = (json[section] ?? {}) as Record<string, Record<string, unknown>>;
  if (section === "output" || section === "provider") return Object.keys(entries);
  return Object.entries(entries).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

function readExport(dir: string, id: string): { text: string; hcl: HclBody } {
  const text = fs.readFileSync(path.join(dir, id, "main.tf"), "utf8");
  return { text, hcl: readHcl(text) };
}

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name), base) : [path.relative(base, path.join(dir, entry.name))]))
    .sort();
}

describe("npm run export:hcl, with the S3 backend", () => {
  const variables = {
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_ENV: "staging",
    LOG_MONITOR_STATE_BUCKET: "acme-terraform-state",
    LOG_MONITOR_ALERT_EMAILS: "oncall@example.com:critical,sre@example.com",
    LOG_MONITOR_MONTHLY_BUDGET_USD: "40",
    // Chat channels and the quiet-notice schedule have nested blocks of their own (target, flexible_time_window).
    LOG_MONITOR_SLACK_CHANNELS: "T07EA123LEP/C07EZ1ABC23",
    LOG_MONITOR_QUIET_NOTICES: "true",
  };
  let exportDir: string;
  let stdout: string;
  let synthesized: Record<string, Record<string, unknown>>;

  beforeAll(() => {
    // Act: the script, as `npm run export:hcl -- --out DIR` runs it.
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-s3-"));
    const run = spawnSync(
      process.execPath,
      typescriptArgs("scripts/export-hcl.ts", "--out", exportDir),
      { cwd: PROJECT_ROOT, env: environment(variables), encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(`export:hcl failed (${run.status}):\n${run.stdout}${run.stderr}`);
    stdout = run.stdout;
    synthesized = synthesizeJson(variables);
  });

  afterAll(() => fs.rmSync(exportDir, { recursive: true, force: true }));

  it("writes one folder per stack and lists them in deploy order", () => {
    expect(fs.readdirSync(exportDir).sort()).toEqual([...STACK_IDS].sort());
    const listed = [...stdout.matchAll(/^ {2}\S*?([a-z]+)\/main\.tf: /gm)].map((match) => match[1]);
    expect(listed).toEqual(["state", "alerting", "processing", "dashboard"]);
    expect(stdout).toContain("dashboard/main.tf: 5 resources, 7 data sources, 0 outputs; s3 backend, after alerting and processing");
  });

  it.each(STACK_IDS)("writes every resource, data source, output and provider of the JSON synthesis of %s", (id) => {
    const { text } = readExport(exportDir, id);
    const json = synthesized[id];
    const missing = [
      ...addresses(json, "resource").map((address) => `resource "${address.replace(".", '" "')}" {`),
      ...addresses(json, "data").map((address) => `data "${address.replace(".", '" "')}" {`),
      ...addresses(json, "output").map((name) => `output "${name}" {`),
      ...addresses(json, "provider").map((type) => `provider "${type}" {`),
    ].filter((header) => !text.includes(`\n${header}`));
    expect({ id, missing }).toEqual({ id, missing: [] });
    expect(addresses(json, "resource").length).toBeGreaterThan(0);
  });

  it.each(STACK_IDS)("writes %s with the same content as its JSON synthesis, argument for argument", (id) => {
    // Prepare: the HCL read back independently of the exporter.
    const { hcl } = readExport(exportDir, id);

    // Assess: the S3 stacks' configuration is identical; the state stack's local path is checked below.
    const expected = withoutMetadata(synthesized[id]) as Record<string, unknown>;
    if (id === "state") {
      const backend = { local: { path: "PATH" } };
      ((hcl.terraform as BlockList).bodies[0].backend as Record<string, BlockList>).local.bodies[0].path = "PATH";
      (expected.terraform as Record<string, unknown>).backend = backend;
    }
    expect(asJson(hcl)).toEqual(inBlockForm(expected, hcl));
  });

  it("keeps each S3 backend exactly, the Terraform version constraint, and the state stack's own local state", () => {
    for (const id of ["alerting", "processing", "dashboard"]) {
      const terraform = (asJson(readExport(exportDir, id).hcl) as { terraform: Record<string, unknown>[] }).terraform[0];
      expect(terraform.backend).toEqual({
        s3: [{ bucket: "acme-terraform-state", key: `log-monitor/eu-west-1/staging/${id}.tfstate`, region: "eu-west-1", encrypt: true, use_lockfile: true }],
      });
      expect(terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
    }
    const state = (asJson(readExport(exportDir, "state").hcl) as { terraform: { backend: { local: { path: string }[] } }[] }).terraform[0];
    expect(path.resolve(exportDir, "state", state.backend.local[0].path)).toBe(path.join(PROJECT_ROOT, "terraform.eu-west-1.state.tfstate"));
  });

  it("keeps every cross-stack read pointing at the producer's state, and the output it reads", () => {
    const reads = (id: string): Record<string, Record<string, unknown>[]> =>
      (asJson(readExport(exportDir, id).hcl) as { data: { terraform_remote_state: Record<string, Record<string, unknown>[]> } }).data
        .terraform_remote_state;
    expect(reads("dashboard")["cross-stack-reference-input-processing"]).toEqual([
      {
        backend: "s3",
        config: { bucket: "acme-terraform-state", encrypt: true, key: "log-monitor/eu-west-1/staging/processing.tfstate", region: "eu-west-1" },
        workspace: "${terraform.workspace}",
      },
    ]);
    const processing = readExport(exportDir, "processing").text;
    for (const [, output] of readExport(exportDir, "dashboard").text.matchAll(/cross-stack-reference-input-processing\.outputs\.([A-Za-z0-9_-]+)/g)) {
      expect(processing).toContain(`output "${output}" {`);
    }
  });

  it("writes nested blocks as blocks and object-typed arguments as objects, as the providers define them", () => {
    // The argument-for-argument comparison cannot see this: Terraform JSON writes both as objects. The table is
    // taken from the AWS provider's documentation (and Terraform's, for terraform_remote_state); a key that
    // is new to it fails this test until someone has looked it up.
    const expected: Record<string, "block" | "argument"> = {
      "provider.aws.default_tags": "block",
      "provider.aws.default_tags.tags": "argument",
      "aws_cloudwatch_log_metric_filter.metric_transformation": "block",
      "aws_cloudwatch_metric_alarm.dimensions": "argument",
      "aws_dynamodb_table.attribute": "block",
      "aws_dynamodb_table.global_secondary_index": "block",
      "aws_dynamodb_table.point_in_time_recovery": "block",
      "aws_dynamodb_table.server_side_encryption": "block",
      "aws_dynamodb_table.ttl": "block",
      "aws_iam_policy_document.statement": "block",
      "aws_iam_policy_document.statement.condition": "block",
      "aws_iam_policy_document.statement.principals": "block",
      "aws_lambda_function.dead_letter_config": "block",
      "aws_lambda_function.environment": "block",
      "aws_lambda_function.environment.variables": "argument",
      "aws_lambda_function.logging_config": "block",
      "aws_lambda_function.tracing_config": "block",
      "aws_s3_bucket_lifecycle_configuration.rule": "block",
      "aws_s3_bucket_lifecycle_configuration.rule.abort_incomplete_multipart_upload": "block",
      "aws_s3_bucket_lifecycle_configuration.rule.expiration": "block",
      "aws_budgets_budget.notification": "block",
      "aws_s3_bucket_lifecycle_configuration.rule.filter": "block",
      "aws_s3_bucket_lifecycle_configuration.rule.noncurrent_version_expiration": "block",
      "aws_s3_bucket_ownership_controls.rule": "block",
      "aws_s3_bucket_server_side_encryption_configuration.rule": "block",
      "aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default": "block",
      "aws_s3_bucket_versioning.versioning_configuration": "block",
      // The quiet-notice schedule (Terraform AWS provider, aws_scheduler_schedule: nested blocks).
      "aws_scheduler_schedule.flexible_time_window": "block",
      "aws_scheduler_schedule.target": "block",
      "aws_scheduler_schedule.target.retry_policy": "block",
      "terraform_remote_state.config": "argument",
    };
    const found: Record<string, "block" | "argument"> = {};
    const walk = (prefix: string, body: HclBody): void => {
      for (const [key, value] of Object.entries(body)) {
        if (value instanceof BlockList) {
          found[`${prefix}.${key}`] = "block";
          value.bodies.forEach((nested) => walk(`${prefix}.${key}`, nested));
        } else if (isObject(value) || (Array.isArray(value) && value.some(isObject))) {
          found[`${prefix}.${key}`] = "argument";
        }
      }
    };
    for (const id of STACK_IDS) {
      const { hcl } = readExport(exportDir, id);
      for (const section of ["resource", "data"]) {
        for (const [type, byName] of Object.entries((hcl[section] ?? {}) as Record<string, Record<string, BlockList>>)) {
          for (const blocks of Object.values(byName)) blocks.bodies.forEach((body) => walk(type, body));
        }
      }
      for (const [type, blocks] of Object.entries((hcl.provider ?? {}) as Record<string, BlockList>)) {
        blocks.bodies.forEach((body) => walk(`provider.${type}`, body));
      }
    }
    expect(found).toEqual(expected);
  });

  it.each(STACK_IDS)("writes %s as terraform fmt -check accepts it", (id) => {
    expect(fmtProblems(path.join(exportDir, id, "main.tf"))).toBe("");
  });

  it.each(STACK_IDS)("writes %s as a configuration Terraform loads without a warning (offline)", (id) => {
    const { problems, output } = loadConfiguration(readExport(exportDir, id).text);
    expect({ id, problems }).toEqual({ id, problems: [] });
    expect(output).toContain("provider[registry.terraform.io/hashicorp/aws] 6.25.0");
  });

  it("carries the dashboard body over byte for byte", () => {
    const { hcl } = readExport(exportDir, "dashboard");
    const body = (((hcl.resource as Record<string, Record<string, BlockList>>).aws_cloudwatch_dashboard["overview-dashboard"]).bodies[0]
      .dashboard_body) as string;
    const json = synthesized.dashboard as { resource: { aws_cloudwatch_dashboard: Record<string, { dashboard_body: string }> } };
    const expected = json.resource.aws_cloudwatch_dashboard["overview-dashboard"].dashboard_body;
    expect(Buffer.from(body).equals(Buffer.from(expected))).toBe(true);
    expect(body).toContain('filter level in [\\"ERROR\\", \\"FATAL\\", \\"CRITICAL\\"]');
    expect(body).toContain("${data.terraform_remote_state.cross-stack-reference-input-alerting.outputs.");
  });

  it("copies each stack's assets where archive_file zips them from, byte for byte", () => {
    for (const id of ["alerting", "processing", "dashboard"]) {
      const archives = (synthesized[id].data as { archive_file: Record<string, { source_dir: string }> }).archive_file;
      for (const { source_dir } of Object.values(archives)) {
        const exported = path.join(exportDir, id, source_dir);
        expect(listFiles(exported)).toEqual(["index.js"]);
        expect(fs.readFileSync(path.join(exported, "index.js")).length).toBeGreaterThan(1000);
      }
    }
    // The dashboard's one asset is the triage widget's bundle.
    expect(fs.readdirSync(path.join(exportDir, "dashboard", "assets"))).toHaveLength(1);
  });
});

describe("exportStacksAsHcl, with local state", () => {
  let exportDir: string;
  let stacks: ExportedStack[];
  let synthesized: Record<string, Record<string, unknown>>;

  beforeAll(() => {
    exportDir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-local-"));
    const config = loadConfig({});
    stacks = exportStacksAsHcl({ build: (app) => createLogMonitorStacks(app, config), outDir: exportDir, cdktfOutdir: CDKTF_OUTDIR });
    synthesized = synthesizeJson({});
  });

  afterAll(() => fs.rmSync(exportDir, { recursive: true, force: true }));

  it("returns the stacks in deploy order with what each reads from", () => {
    expect(stacks.map(({ id, dependencies, backend }) => ({ id, dependencies, backend }))).toEqual([
      { id: "state", dependencies: [], backend: "local" },
      { id: "alerting", dependencies: [], backend: "local" },
      { id: "processing", dependencies: ["alerting"], backend: "local" },
      { id: "dashboard", dependencies: ["alerting", "processing"], backend: "local" },
    ]);
  });

  it("points each local backend at the state file cdktf used, in the project folder", () => {
    for (const id of STACK_IDS) {
      // The state stack's file is once per account and region; the others' are per environment too.
      const file = id === "state" ? "terraform.us-east-1.state.tfstate" : `terraform.us-east-1.dev.${id}.tfstate`;
      const terraform = (asJson(readExport(exportDir, id).hcl) as { terraform: { backend: { local: { path: string }[] } }[] }).terraform[0];
      expect(path.resolve(exportDir, id, terraform.backend.local[0].path)).toBe(path.join(PROJECT_ROOT, file));
      // The same file cdktf's Terraform opened from cdktf.out/stacks/<id>.
      const original = (synthesized[id].terraform as { backend: { local: { path: string } } }).backend.local.path;
      expect(path.resolve(CDKTF_OUTDIR, "stacks", id, original)).toBe(path.join(PROJECT_ROOT, file));
    }
  });

  it("points each cross-stack read at the producer's local state file", () => {
    const reads = (asJson(readExport(exportDir, "dashboard").hcl) as {
      data: { terraform_remote_state: Record<string, { backend: string; config: { path: string } }[]> };
    }).data.terraform_remote_state;
    for (const producer of ["alerting", "processing"]) {
      const [read] = reads[`cross-stack-reference-input-${producer}`];
      expect(read.backend).toBe("local");
      expect(path.resolve(exportDir, "dashboard", read.config.path)).toBe(path.join(PROJECT_ROOT, `terraform.us-east-1.dev.${producer}.tfstate`));
    }
  });

  it.each(STACK_IDS)("writes %s with the same content as its JSON synthesis apart from the re-pointed paths", (id) => {
    const { hcl } = readExport(exportDir, id);
    const actual = asJson(hcl) as { terraform: { backend: { local: { path: string }[] } }[]; data?: Record<string, Record<string, unknown>> };
    const expected = JSON.parse(JSON.stringify(withoutMetadata(synthesized[id])));
    expected.terraform.backend.local.path = actual.terraform[0].backend.local[0].path;
    for (const [name, read] of Object.entries((expected.data?.terraform_remote_state ?? {}) as Record<string, { config: { path: string } }>)) {
      read.config.path = (actual.data?.terraform_remote_state[name] as { config: { path: string } }[])[0].config.path;
    }
    expect(actual).toEqual(inBlockForm(expected, hcl));
    expect(fmtProblems(path.join(exportDir, id, "main.tf"))).toBe("");
  });

  it("replaces main.tf and assets/ on a second export and keeps the team's other files", () => {
    // Prepare: what a team has in the folder after working there.
    const alerting = path.join(exportDir, "alerting");
    fs.writeFileSync(path.join(alerting, ".terraform.lock.hcl"), "# lock\n");
    fs.mkdirSync(path.join(alerting, "assets", "stale"), { recursive: true });
    fs.writeFileSync(path.join(alerting, "assets", "stale", "index.js"), "old");
    fs.writeFileSync(path.join(alerting, "main.tf"), "# edited\n");

    // Act
    exportStacksAsHcl({ build: (app) => createLogMonitorStacks(app, loadConfig({})), outDir: exportDir, cdktfOutdir: CDKTF_OUTDIR });

    // Assess
    expect(fs.readFileSync(path.join(alerting, ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
    expect(fs.existsSync(path.join(alerting, "assets", "stale"))).toBe(false);
    expect(fs.readFileSync(path.join(alerting, "main.tf"), "utf8")).toContain('resource "aws_sns_topic" "alert-topic" {');
  });
});

describe("repointPath", () => {
  it("addresses the project's state file from the default export folder", () => {
    expect(
      repointPath("../../../terraform.dev.alerting.tfstate", path.join(CDKTF_OUTDIR, "stacks", "alerting"), path.join(PROJECT_ROOT, "terraform-export", "alerting")),
    ).toBe("../../terraform.dev.alerting.tfstate");
  });

  it("leaves absolute paths and interpolated paths alone", () => {
    expect(repointPath("/var/state/a.tfstate", "/a/b", "/c/d")).toBe("/var/state/a.tfstate");
    expect(repointPath("${path.root}/a.tfstate", "/a/b", "/c/d")).toBe("${path.root}/a.tfstate");
  });
});
