import { typescriptArgs } from "../../lib/cli/run-typescript";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { REQUIRED_TERRAFORM_VERSION } from "../../stacks/log-monitor-stack";
import { findReferences } from "./references";

const STACK_IDS = ["alerting", "processing", "dashboard"];
const ALL_STACK_IDS = ["state", ...STACK_IDS];

/** Runs `main.ts` in its own Node process, exactly as `cdktf synth` does, into a fresh folder. */
function synthesize(env: Record<string, string>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-full-synth-"));
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && key !== "AWS_REGION") clean[key] = value;
  }
  execFileSync(process.execPath, typescriptArgs("main.ts"), {
    cwd: PROJECT_ROOT,
    env: { ...clean, ...env, CDKTF_OUTDIR: outdir },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return outdir;
}

function readStack(outdir: string, id: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
}

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
    })
    .sort();
}

describe("full synthesis (main.ts in its own process)", () => {
  const withS3 = {
    AWS_REGION: "eu-west-1",
    LOG_MONITOR_ENV: "staging",
    LOG_MONITOR_STATE_BUCKET: "acme-terraform-state",
    LOG_MONITOR_ALERT_EMAILS: "oncall@example.com,sre@example.com",
  };
  let first: string;
  let second: string;
  let unconfigured: string;

  beforeAll(() => {
    first = synthesize(withS3);
    second = synthesize(withS3);
    unconfigured = synthesize({});
  });

  afterAll(() => {
    for (const dir of [first, second, unconfigured]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the stacks with no configuration at all, on local state", () => {
    expect(fs.readdirSync(path.join(unconfigured, "stacks")).sort()).toEqual(["alerting", "dashboard", "processing", "state"]);
    for (const id of STACK_IDS) {
      const stack = readStack(unconfigured, id);
      expect(stack.terraform.backend).toEqual({ local: { path: `../../../terraform.us-east-1.dev.${id}.tfstate` } });
      expect(stack.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
    }
    expect(readStack(unconfigured, "alerting").resource.aws_sns_topic_subscription).toBeUndefined();
  });

  it("keeps the state stack's own state local even when a state bucket is configured", () => {
    expect(readStack(first, "state").terraform.backend).toEqual({ local: { path: "../../../terraform.eu-west-1.state.tfstate" } });
  });

  it("uses the S3 backend and subscribes the addresses when configured", () => {
    for (const id of STACK_IDS) {
      expect(readStack(first, id).terraform.backend).toEqual({
        s3: { bucket: "acme-terraform-state", key: `log-monitor/eu-west-1/staging/${id}.tfstate`, region: "eu-west-1", encrypt: true, use_lockfile: true },
      });
    }
    const endpoints = Object.values(readStack(first, "alerting").resource.aws_sns_topic_subscription).map((s: any) => s.endpoint);
    expect(endpoints).toEqual(["oncall@example.com", "sre@example.com"]);
  });

  it("records the deploy order alerting -> processing -> dashboard in the manifest", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(first, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["alerting", "dashboard", "processing", "state"]);
    expect(manifest.stacks.state.dependencies).toEqual([]);
    expect(manifest.stacks.alerting.dependencies).toEqual([]);
    expect(manifest.stacks.processing.dependencies).toEqual(["alerting"]);
    expect([...manifest.stacks.dashboard.dependencies].sort()).toEqual(["alerting", "processing"]);
  });

  it("gives every cross-stack remote-state read a matching output in the producing stack, read from its backend", () => {
    let reads = 0;
    for (const consumerId of ALL_STACK_IDS) {
      const consumer = readStack(first, consumerId);
      const remoteStates: Record<string, any> = consumer.data?.terraform_remote_state ?? {};
      for (const reference of findReferences(consumer)) {
        const match = /^data\.terraform_remote_state\.([^.]+)\.outputs\.([^.[\s]+)/.exec(reference);
        if (!match) continue;
        reads++;
        const [, remoteName, outputName] = match;
        const producerId = remoteName.replace(/^cross-stack-reference-input-/, "");
        const producer = readStack(first, producerId);
        expect({ consumerId, outputName, exists: outputName in (producer.output ?? {}) }).toEqual({ consumerId, outputName, exists: true });
        // The same bucket, key and region the producer writes to (reading needs no lock).
        const { use_lockfile: _lock, ...producerBackend } = producer.terraform.backend.s3;
        expect(remoteStates[remoteName]).toEqual({
          backend: "s3",
          config: producerBackend,
          workspace: "${terraform.workspace}",
        });
      }
    }
    // processing reads the log group and key; dashboard reads the alarm, log group, function and queue.
    expect(reads).toBeGreaterThanOrEqual(6);
  });

  it("points every ${...} reference inside a stack at a resource, data source or output that exists in it", () => {
    for (const id of ALL_STACK_IDS) {
      const stack = readStack(first, id);
      const missing = findReferences(stack).filter((reference) => {
        if (reference === "terraform.workspace") return false;
        const data = /^data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)/.exec(reference);
        if (data) return !stack.data?.[data[1]]?.[data[2]];
        const resource = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)/.exec(reference);
        return !resource || !stack.resource?.[resource[1]]?.[resource[2]];
      });
      expect({ id, missing }).toEqual({ id, missing: [] });
    }
  });

  it("is byte-identical from one run to the next, assets included", () => {
    const files = listFiles(first);
    expect(listFiles(second)).toEqual(files);
    for (const file of files) {
      const same = fs.readFileSync(path.join(first, file)).equals(fs.readFileSync(path.join(second, file)));
      expect({ file, same }).toEqual({ file, same: true });
    }
  });

  it("contains no absolute path of this machine", () => {
    for (const file of listFiles(first).filter((f) => f.endsWith(".json"))) {
      const text = fs.readFileSync(path.join(first, file), "utf8");
      expect({ file, project: text.includes(PROJECT_ROOT), tmp: text.includes(os.tmpdir() + path.sep) }).toEqual({
        file,
        project: false,
        tmp: false,
      });
    }
  });

  it("ships each handler as a bundled index.js in the stack's assets", () => {
    for (const [id, fn] of [["alerting", "test-emitter"], ["processing", "log-processor"]]) {
      const archive = readStack(first, id).data.archive_file[`${fn}-archive`];
      const bundle = path.join(first, "stacks", id, archive.source_dir, "index.js");
      expect(fs.statSync(bundle).size).toBeGreaterThan(0);
    }
  });
});
