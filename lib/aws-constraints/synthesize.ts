/**
 * Synthesizes the whole app for one configuration in this process (no `cdktf synth` child: synthesis is slow enough
 * without one), returning each stack's Terraform JSON for the constraint checks.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { MonitorConfig } from "../../config/config";
import { createLogMonitorStacks } from "../../stacks/log-monitor";
import type { StackJson, SynthesizedApp } from "./resolve";

/** Synthesizes `config` and reads back every stack's `cdk.tf.json`. */
export function synthesizeConfig(config: MonitorConfig): SynthesizedApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "log-monitor-prove-"));
  try {
    const app = Testing.app({ outdir });
    createLogMonitorStacks(app, config);
    app.synth();
    const stacks: Record<string, StackJson> = {};
    for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
      stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;
    }
    return { region: config.region, stacks };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
