/**
 * The README and docs/ cannot drift: every example in README.md and docs/*.md that runs offline (a `$ ` line in a
 * code block, followed by the output it shows) is run here as a user would type it, in the project folder, and its
 * output compared.
 * In the shown output, `…` stands for any text (a shortened line, or lines left out), and clock times are
 * compared as times, not values (the simulation starts at the current minute).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** README.md and every docs/*.md, relative to the project folder. */
const DOCUMENTS = [
  "README.md",
  ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`),
];
const TEXTS = new Map(DOCUMENTS.map((file) => [file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")] as const));
/** All the documentation, for "is this flag documented anywhere". */
const ALL_DOCS = [...TEXTS.values()].join("\n");

/** One `$ command` of the README and the output shown under it. */
interface Example {
  readonly command: string;
  readonly expected: string;
  /** 1-based line of the command in its file. */
  readonly line: number;
  /** The file, relative to the project folder (README.md, docs/tools.md, ...). */
  readonly file?: string;
}

/** Every `$ ` example in the README's code blocks. */
export function readmeExamples(text: string): Example[] {
  const examples: Example[] = [];
  let inBlock = false;
  let current: { command: string; output: string[]; line: number } | undefined;
  const finish = (): void => {
    if (current === undefined) return;
    while (current.output.length > 0 && (current.output[current.output.length - 1] as string).trim() === "") current.output.pop();
    examples.push({ command: current.command, expected: current.output.join("\n"), line: current.line });
    current = undefined;
  };
  text.split("\n").forEach((line, index) => {
    if (line.startsWith("```")) {
      finish();
      inBlock = !inBlock;
    } else if (inBlock && line.startsWith("$ ")) {
      finish();
      current = { command: line.slice(2), output: [], line: index + 1 };
    } else if (inBlock && current !== undefined) {
      current.output.push(line);
    }
  });
  return examples;
}

// Examples that need what a test cannot have: an AWS account, or a table filled by hand (the incidents
// listing is shown against dynalite; __tests__/incidents runs the same command end to end).
const NEEDS_AWS_OR_DATA = [/^npm run incidents -- --since/];

/** Runs one command with bash in the project folder, stderr merged into stdout, as a terminal shows them. */
function run(command: string): Promise<string> {
  const env: Record<string, string> = { PATH: `${path.join(PROJECT_ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}` };
  for (const name of ["HOME", "TMPDIR", "LANG", "TF_CLI_CONFIG_FILE"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, { CI: "true", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" });
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `exec 2>&1\n${command}`], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", reject);
    child.once("close", () => resolve(Buffer.concat(chunks).toString("utf8").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")));
  });
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Times of day (20:25, 20:25:07) and ISO timestamps vary from run to run.
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z|\b\d{2}:\d{2}(?::\d{2})?\b/g;

/** Whether `actual` is what `shown` shows: `…` matches any text, times match any time, the rest exactly. */
export function matchesShown(shown: string, actual: string): boolean {
  const pattern = shown
    .split("…")
    .map((part) => part.split(TIME).map(escape).join("TIME_PLACEHOLDER"))
    .join("[\\s\\S]*?")
    .replace(/TIME_PLACEHOLDER/g, "(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z|\\d{2}:\\d{2}(?::\\d{2})?)");
  return new RegExp(`^${pattern}$`).test(actual.replace(/\n+$/, ""));
}

describe("the examples of the README and docs/", () => {
  const examples = DOCUMENTS.flatMap((file) => readmeExamples(TEXTS.get(file) as string).map((example) => ({ ...example, file })));
  const offline = examples.filter((example) => !NEEDS_AWS_OR_DATA.some((pattern) => pattern.test(example.command)));

  it("are found, and only the ones that need AWS or data are left out", () => {
    expect(offline.length).toBeGreaterThanOrEqual(12);
    expect(examples.length - offline.length).toBe(NEEDS_AWS_OR_DATA.length);
  });

  it("compare output with … and times as the README means them (the comparison can fail)", () => {
    expect(matchesShown("a …\nexit 2", "a b c\nmore\nexit 2\n")).toBe(true);
    expect(matchesShown("at 20:25 1 | 20:26 -", "at 09:01 1 | 09:02 -")).toBe(true);
    expect(matchesShown("at 20:25 1", "at 09:01 2")).toBe(false);
    expect(matchesShown("exit 2", "exit 1")).toBe(false);
    expect(matchesShown("match: x", "match: x\nextra line")).toBe(false);
  });

  // Concurrently: each example waits on its own processes (npm, node, cdktf).
  it("are found in docs/ too, not only in the README", () => {
    expect(examples.filter((example) => example.file.startsWith("docs/")).length).toBeGreaterThanOrEqual(10);
  });

  it.concurrent.each(offline.map((example) => [`${example.file}:${example.line}: ${example.command}`, example] as const))(
    "%s",
    async (_, example) => {
      const actual = await run(example.command);
      if (!matchesShown(example.expected, actual)) {
        // The whole output in the failure, to paste into the README if the change was meant.
        expect(actual).toBe(example.expected);
      }
    },
    180_000,
  );
});

describe("the README and docs/ document every command and flag", () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
  // Each tool's --help (usage, exit 0, no file left behind, every flag it lists documented here) and its
  // conventions (unknown and repeated options) are checked by __tests__/project/tool-conventions.test.ts, on every
  // tool package.json declares.
  it("names only npm scripts that exist", () => {
    const named = [...new Set([...ALL_DOCS.matchAll(/npm run (?:--silent )?([a-z][a-z-]*(?::[a-z-]+)?)/g)].map((match) => match[1] as string))];
    expect(named.filter((name) => scripts[name] === undefined)).toEqual([]);
  });
});
