/**
 * The loops a user waits on, measured before and after the changes of issue 11, in the same run:
 * - `npx cdktf synth` (which every `cdktf diff` and `deploy` runs) against an empty CDKTF app's synth;
 * - `npm test`'s jest run (type-checking, the same in both, is left out).
 *
 * "Before" is reproduced from what changed, not from old figures: the app command `npx ts-node --transpile-only
 * main.ts` with the handlers bundled on every synth, and jest with ts-jest and jest's default worker count.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./child-processes";
import { median } from "./stats";

/** One way of running a loop, timed. */
export interface LoopVariant {
  readonly name: string;
  /** The command, as shown in the report. */
  readonly command: string;
  readonly file: string;
  readonly args: readonly string[];
  /** Runs before every timed run (not timed). @default nothing */
  readonly prepare?: () => void;
}

/** Medians of a set of variants, timed in turn (interleaved, so that a change of machine load hits all of them). */
export interface LoopResult {
  readonly variant: LoopVariant;
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

/** A variant's run failed: the output says why. */
export class LoopRunError extends Error {
  constructor(variant: LoopVariant, status: number | null, output: string) {
    super(`${variant.name} (${variant.command}) exited with status ${status}:\n${output.split("\n").slice(-20).join("\n")}`);
    this.name = "LoopRunError";
  }
}

const BIN = path.join(PROJECT_ROOT, "node_modules", ".bin");
const BENCH_DIR = path.join(PROJECT_ROOT, ".build", "bench");
// No telemetry or update checks from the CDKTF CLI; the same environment for every variant.
const LOOP_ENV = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true", PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}` };

/**
 * Times every variant `runs` times, interleaved, after `warmUps` untimed rounds (which fill caches such as jest's
 * transform cache, so that no variant pays for a cold cache the others do not); throws {@link LoopRunError} when a
 * run fails.
 */
export function timeVariants(variants: readonly LoopVariant[], runs: number, warmUps = 0): LoopResult[] {
  const times = variants.map(() => [] as number[]);
  for (let run = -warmUps; run < runs; run++) {
    variants.forEach((variant, index) => {
      variant.prepare?.();
      const started = process.hrtime.bigint();
      const result = spawnSync(variant.file, [...variant.args], { cwd: PROJECT_ROOT, env: LOOP_ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new LoopRunError(variant, result.status, `${result.stdout ?? ""}${result.stderr ?? ""}`);
      if (run >= 0) (times[index] as number[]).push(elapsedMs);
    });
  }
  return variants.map((variant, index) => ({ variant, medianMs: median(times[index] as number[]), runsMs: times[index] as number[] }));
}

/** The three synth variants: an empty CDKTF app, this app as before, this app now. */
export function synthVariants(): LoopVariant[] {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const emptyApp = path.join(BENCH_DIR, "empty-app.js");
  fs.writeFileSync(
    emptyApp,
    '// An empty CDKTF app: one stack with nothing in it.\nconst { App, TerraformStack } = require("cdktf");\nconst app = new App();\nnew TerraformStack(app, "empty");\napp.synth();\n',
  );
  const cdktf = path.join(BIN, "cdktf");
  const synth = (outdir: string, app?: string): string[] => ["synth", ...(app === undefined ? [] : ["--app", app]), "--output", path.join(BENCH_DIR, outdir)];
  // Without the record of the last build, the handlers are bundled again, as every synth did before.
  const forgetBundles = (): void => {
    for (const handler of ["log-processor", "test-emitter"]) {
      fs.rmSync(path.join(PROJECT_ROOT, ".build", "handlers", handler, "inputs.json"), { force: true });
    }
  };
  return [
    { name: "empty CDKTF app", command: "cdktf synth --app 'node empty-app.js'", file: cdktf, args: synth("empty", `node ${path.relative(PROJECT_ROOT, emptyApp)}`) },
    {
      name: "this app, before",
      command: "cdktf synth --app 'npx ts-node --transpile-only main.ts', bundling every time",
      file: cdktf,
      args: synth("before", "npx ts-node --transpile-only main.ts"),
      prepare: forgetBundles,
    },
    { name: "this app, now", command: "npx cdktf synth (cdktf.json's app)", file: cdktf, args: synth("now") },
  ];
}

/**
 * The two jest variants: ts-jest with jest's default workers (before), the project's jest.config.js (now). Each
 * run starts from cold caches, as `npm test` on a fresh clone does: its own empty jest cache folder, and no
 * transpiled files or bundle records under .build.
 */
export function testVariants(): LoopVariant[] {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const before = path.join(BENCH_DIR, "jest.before.config.js");
  fs.writeFileSync(
    before,
    `// jest as before issue 11: ts-jest, and jest's default worker count (one less than the CPUs).\nconst base = require(${JSON.stringify(
      path.join(PROJECT_ROOT, "jest.config.js"),
    )});\nconst { maxWorkers, ...rest } = base;\nmodule.exports = { ...rest, rootDir: ${JSON.stringify(PROJECT_ROOT)}, transform: { "^.+\\\\.ts$": ["ts-jest", { diagnostics: false }] } };\n`,
  );
  const jest = path.join(BIN, "jest");
  const cache = (name: string): string => path.join(BENCH_DIR, `jest-cache-${name}`);
  const cold = (name: string) => (): void => {
    fs.rmSync(cache(name), { recursive: true, force: true });
    fs.rmSync(path.join(PROJECT_ROOT, ".build", "ts-cache"), { recursive: true, force: true });
    for (const handler of ["log-processor", "test-emitter"]) {
      fs.rmSync(path.join(PROJECT_ROOT, ".build", "handlers", handler, "inputs.json"), { force: true });
    }
  };
  return [
    {
      name: "jest, before",
      command: "jest with ts-jest, default workers",
      file: jest,
      args: ["--config", before, "--silent", "--cacheDirectory", cache("before")],
      prepare: cold("before"),
    },
    {
      name: "jest, now",
      command: "jest (jest.config.js: esbuild transform, one worker per CPU)",
      file: jest,
      args: ["--silent", "--cacheDirectory", cache("now")],
      prepare: cold("now"),
    },
  ];
}
