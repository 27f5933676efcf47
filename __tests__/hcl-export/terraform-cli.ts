import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The Terraform CLI, for what it does offline: `terraform fmt` (which parses HCL) and `init`/`apply` of
 * configurations that only have outputs (no provider to download, local state in a scratch folder).
 * These tests never skip: without Terraform on PATH they fail, saying so.
 */

const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };

/** Runs terraform; throws a readable error when it is not installed. */
export function terraform(args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const run = spawnSync("terraform", args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) {
    if ((run.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "The Terraform CLI is not on PATH. The HCL export tests need it (offline: terraform fmt, and init/apply of output-only " +
          "configurations); install Terraform >= 1.10 (the version in .terraform-version, as CI does).",
      );
    }
    throw run.error;
  }
  return run;
}

/** `terraform fmt -check -diff` of one file: "" when Terraform accepts it as canonical, else its complaint and diff. */
export function fmtProblems(file: string): string {
  const run = terraform(["fmt", "-check", "-diff", "-no-color", path.basename(file)], path.dirname(file));
  return run.status === 0 ? "" : `terraform fmt exited ${run.status}:\n${run.stdout}${run.stderr}`;
}

/** One output as `terraform output -json` reports it. */
export interface OutputValue {
  readonly type: unknown;
  readonly value: unknown;
}

/**
 * Applies a configuration of outputs only (`main.tf` or `main.tf.json` content) in a scratch folder and
 * returns the outputs as Terraform evaluated them.
 */
export function evaluateOutputs(fileName: "main.tf" | "main.tf.json", content: string): Record<string, OutputValue> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-eval-"));
  try {
    fs.writeFileSync(path.join(dir, fileName), content);
    for (const args of [
      ["init", "-input=false", "-no-color"],
      ["apply", "-auto-approve", "-input=false", "-no-color"],
    ]) {
      const run = terraform(args, dir);
      if (run.status !== 0) throw new Error(`terraform ${args[0]} failed on ${fileName}:\n${run.stdout}${run.stderr}\n${content}`);
    }
    const output = terraform(["output", "-json", "-no-color"], dir);
    if (output.status !== 0) throw new Error(`terraform output failed:\n${output.stderr}`);
    const parsed = JSON.parse(output.stdout) as Record<string, OutputValue>;
    return Object.fromEntries(Object.entries(parsed).map(([name, { type, value }]) => [name, { type, value }]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Diagnostics about the CLI's own settings file, not about the configuration under test. */
const CLI_SETTINGS_DIAGNOSTIC = /^Unable to open CLI configuration file$/;

/**
 * What Terraform says when it loads a configuration, offline: `terraform providers` decodes every block
 * (resources, meta-arguments such as depends_on and lifecycle, the terraform block) before listing the
 * providers. The backend block is left out of the copy it reads, since with one the command first wants
 * `terraform init`. Returns the summaries of its warnings and errors, and its output.
 */
export function loadConfiguration(mainTf: string): { problems: string[]; output: string } {
  const lines = mainTf.split("\n");
  const start = lines.findIndex((line) => /^ {2}backend "[^"]+" \{\}?$/.test(line));
  const end = start === -1 || lines[start].endsWith("{}") ? start : lines.indexOf("  }", start);
  const withoutBackend = start === -1 ? mainTf : [...lines.slice(0, start), ...lines.slice(end + 1)].join("\n");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-export-load-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf"), withoutBackend);
    const run = terraform(["providers", "-no-color"], dir);
    const output = `${run.stdout}${run.stderr}`;
    const problems = [...output.matchAll(/^(?:│ )?(Warning|Error): (.+)$/gm)]
      .filter((match) => !CLI_SETTINGS_DIAGNOSTIC.test(match[2].trim()))
      .map((match) => `${match[1]}: ${match[2].trim()}`);
    if (run.status !== 0 && problems.length === 0) problems.push(`terraform providers exited ${run.status}`);
    return { problems, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
