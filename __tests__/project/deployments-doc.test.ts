/**
 * docs/deployments.md cannot drift: each `$ ` example in its code blocks runs here in the project folder, with no
 * other configuration in the environment, and its output must be what the page shows (`…` stands for any text).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PAGE = "docs/deployments.md";

/** Every `$ command` of the page with the output shown under it, up to the end of its code block or the next `$ `. */
function examples(text: string): { command: string; expected: string; line: number }[] {
  const found: { command: string; output: string[]; line: number }[] = [];
  let current: { command: string; output: string[]; line: number } | undefined;
  let inBlock = false;
  text.split("\n").forEach((line, index) => {
    if (line.startsWith("```")) {
      inBlock = !inBlock;
      current = undefined;
    } else if (inBlock && line.startsWith("$ ")) {
      current = { command: line.slice(2), output: [], line: index + 1 };
      found.push(current);
    } else if (current !== undefined) {
      current.output.push(line);
    }
  });
  return found.map(({ command, output, line }) => ({ command, expected: output.join("\n").trimEnd(), line }));
}

function run(command: string): string {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("LOG_MONITOR_") && !key.startsWith("AWS_")) env[key] = value;
  }
  const result = spawnSync("bash", ["-c", `exec 2>&1\n${command}`], { cwd: PROJECT_ROOT, env: { ...env, CHECKPOINT_DISABLE: "1" }, encoding: "utf8" });
  return result.stdout.trimEnd();
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe(`${PAGE}'s examples`, () => {
  const found = examples(fs.readFileSync(path.join(PROJECT_ROOT, PAGE), "utf8"));

  it("are found", () => {
    expect(found.map((example) => example.command.split(" ")[0])).toEqual([
      "LOG_MONITOR_DEPLOYMENT=deployments/example.env",
      "LOG_MONITOR_DEPLOYMENT=deployments/no-such.env",
      "LOG_MONITOR_DEPLOYMENT=deployments/example.env",
    ]);
  });

  it.each(found.map((example) => [`${PAGE}:${example.line}: ${example.command}`, example] as const))(
    "%s",
    (_, example) => {
      const actual = run(example.command);
      const pattern = new RegExp(`^${example.expected.split("…").map(escape).join("[\\s\\S]*?")}$`);
      if (!pattern.test(actual)) expect(actual).toBe(example.expected);
    },
    60_000,
  );
});
