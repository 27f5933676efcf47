import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";
import { REQUIRED_TERRAFORM_VERSION } from "../../stacks/log-monitor-stack";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");

/** Whether a version like 1.11.4 satisfies a constraint like ">= 1.10.0, < 2.0.0" (only >=, <, = are used). */
function satisfies(version: string, constraint: string): boolean {
  const parse = (v: string) => v.split(".").map(Number);
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  return constraint.split(",").every((part) => {
    const [, op, v] = /^\s*(>=|<|=)\s*([\d.]+)\s*$/.exec(part) ?? [];
    if (!op) throw new Error(`unsupported constraint ${part}`);
    const c = compare(parse(version), parse(v));
    return op === ">=" ? c >= 0 : op === "<" ? c < 0 : c === 0;
  });
}

describe("toolchain", () => {
  it("pins a Terraform release with S3-native locking that every stack's required_version accepts", () => {
    const pinned = read(".terraform-version").trim();
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(satisfies(pinned, ">= 1.10.0")).toBe(true);
    expect(satisfies(pinned, REQUIRED_TERRAFORM_VERSION)).toBe(true);
    expect(satisfies("1.9.8", REQUIRED_TERRAFORM_VERSION)).toBe(false);
  });

  it("pins every dependency exactly, with CDKTF 0.21.0 and the prebuilt providers", () => {
    const pkg = JSON.parse(read("package.json"));
    const all: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    // An alias (`npm:<package>@<version>`) is pinned the same way.
    const loose = Object.entries(all).filter(([, version]) => !/^(npm:(@[\w.-]+\/)?[\w.-]+@)?\d+\.\d+\.\d+$/.test(version));
    expect(loose).toEqual([]);
    expect(all).toMatchObject({ cdktf: "0.21.0", "cdktf-cli": "0.21.0" });
    expect(all["@cdktf/provider-aws"]).toMatch(/^21\./);
    expect(all["@cdktf/provider-archive"]).toMatch(/^11\./);
    expect(all.constructs).toMatch(/^10\./);
  });

  it("pins one AWS SDK release: every @aws-sdk client at the same version, and one @aws-sdk/core in the lockfile", () => {
    // 3.1143.0 is the newest @aws-sdk/client-kinesis on npm; the other clients follow it, so one core serves them all.
    const pkg = JSON.parse(read("package.json"));
    const all: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    const clients = Object.entries(all).filter(([name]) => name.startsWith("@aws-sdk/"));
    expect(clients.map(([name]) => name)).toContain("@aws-sdk/client-kinesis");
    expect(new Set(clients.map(([, version]) => version))).toEqual(new Set([all["@aws-sdk/client-kinesis"]]));
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version?: string }> };
    const versionsOf = (name: string) =>
      new Set(Object.entries(lock.packages).filter(([key]) => key.endsWith(`node_modules/${name}`)).map(([, entry]) => entry.version));
    expect(versionsOf("@aws-sdk/core").size).toBe(1);
    expect(versionsOf("@smithy/node-http-handler")).toEqual(new Set([all["@smithy/node-http-handler"]]));
  });

  it("imports provider classes by deep path only (the package root costs seconds and hundreds of MB)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (["node_modules", "cdktf.out", ".build", ".git"].includes(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".ts") && /from ["']@cdktf\/provider-(aws|archive)["']/.test(fs.readFileSync(full, "utf8"))) {
          offenders.push(path.relative(PROJECT_ROOT, full));
        }
      }
    };
    walk(PROJECT_ROOT);
    expect(offenders).toEqual([]);
  });

  it("reads process.env in the infrastructure code only at the edge: main.ts hands it to loadConfig", () => {
    // Handlers read their own environment at cold start, and command-line tools (scripts/, lib/) pass theirs
    // to loadConfig or to child processes; the stacks, constructs and configuration never read it.
    const readers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith(".ts") && /process\.env/.test(fs.readFileSync(full, "utf8"))) {
          readers.push(path.relative(PROJECT_ROOT, full));
        }
      }
    };
    for (const dir of ["config", "stacks", "constructs"]) walk(path.join(PROJECT_ROOT, dir));
    expect(readers).toEqual([]);
    expect((fs.readFileSync(path.join(PROJECT_ROOT, "main.ts"), "utf8").match(/process\.env/g) ?? []).length).toBe(1);
  });
});

/**
 * Node.js 24 for everything the project runs. Lambda's nodejs24.x is deprecated on 2027-04-30 (creation blocked
 * 2027-06-01); nodejs24.x has been available since 2025-11-25 and is supported to 2028-04-30 (Lambda Developer
 * Guide, "Lambda runtimes", supported-runtimes table). The AWS provider validates `runtime` against its SDK's enum:
 * nodejs24.x is accepted from 6.19.0 (hashicorp/terraform-provider-aws#44986, #45024); @cdktf/provider-aws 21.22.1
 * is built on 6.25.0.
 */
describe("Node.js 24 for everything the project runs", () => {
  const pkg = () => JSON.parse(read("package.json"));

  it("runs the tests on the pinned node@24 devDependency, whatever node the machine has", () => {
    // The `node` package installs the platform binary as node_modules/.bin/node, which npm scripts and npx put first
    // on PATH; jest's workers then run on it. On the system's Node.js 20 this fails.
    const pinned = pkg().devDependencies.node as string;
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(process.version).toBe(`v${pinned}`);
  });

  it("declares Node.js 24 in engines and CI, as the Lambda runtime, and as every esbuild target", () => {
    expect(pkg().engines.node).toMatch(/^>=24\./);
    for (const workflow of ["ci.yml", "diff.yml"]) {
      const text = read(path.join(".github", "workflows", workflow));
      expect(text).toMatch(/node-version: 24\n/);
      expect(text).not.toMatch(/node-version: (?!24\n)/);
    }
    expect(read("constructs/bundle-handler.ts")).toContain('LAMBDA_RUNTIME = "nodejs24.x"');
    expect(read("constructs/bundle-handler.ts")).toContain('ESBUILD_TARGET = "node24"');
    for (const file of ["scripts/esbuild-register.js", "scripts/esbuild-jest.js", "lib/simulate/lambda-sandbox.ts"]) {
      expect({ file, targets: [...read(file).matchAll(/target: "(node\d+)"/g)].map((match) => match[1]) }).toEqual({ file, targets: ["node24"] });
    }
  });

  it("gives the CDKTF CLI a pseudo-terminal that loads on Node.js 24 offline: @lydell/node-pty's prebuilt N-API binary", () => {
    // cdktf-cli 0.21 requires @cdktf/node-pty-prebuilt-multiarch when it starts and spawns terraform through it for
    // deploy, diff and destroy (spawn, write, onData, onExit). 0.10.2 ships binaries up to Node.js 22's ABI (127)
    // and otherwise builds from source with headers from the network, so package.json installs @lydell/node-pty
    // (node-pty 1.1's API, N-API: one binary for every Node.js) under that name, and overrides cli-core's copy.
    const pty = require("@cdktf/node-pty-prebuilt-multiarch") as { spawn(file: string, args: string[], options: object): { onData(f: (d: string) => void): void; onExit(f: (e: { exitCode: number }) => void): void } };
    const manifest = JSON.parse(read("node_modules/@cdktf/node-pty-prebuilt-multiarch/package.json")) as { name: string };
    expect(manifest.name).toBe("@lydell/node-pty");
    expect(pkg().overrides).toEqual({ "@cdktf/node-pty-prebuilt-multiarch": "$@cdktf/node-pty-prebuilt-multiarch" });
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { name?: string }> };
    const copies = Object.entries(lock.packages).filter(([key]) => key.endsWith("node_modules/@cdktf/node-pty-prebuilt-multiarch"));
    expect(copies.map(([key, entry]) => [key, entry.name])).toEqual([["node_modules/@cdktf/node-pty-prebuilt-multiarch", "@lydell/node-pty"]]);
    // A terminal that works: what the spawned program writes arrives, and its exit status.
    return new Promise<void>((resolve, reject) => {
      let output = "";
      const child = pty.spawn("/bin/sh", ["-c", "echo pty-ok; exit 3"], { name: "xterm", cols: 80, rows: 24, cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? "" } });
      child.onData((data) => (output += data));
      child.onExit(({ exitCode }) => {
        try {
          expect({ output: output.replace(/\r/g, ""), exitCode }).toEqual({ output: "pty-ok\n", exitCode: 3 });
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
  });

  it("runs the app and every TypeScript npm script with `node` from PATH and the esbuild loader, not a global binary", () => {
    const app = JSON.parse(read("cdktf.json")).app as string;
    expect(app).toBe("node -r ./scripts/esbuild-register.js main.ts");
    const scripts = pkg().scripts as Record<string, string>;
    for (const name of ["match", "redrive", "pr-diff", "export:hcl", "simulate", "incidents", "bench", "validate:workflows"]) {
      expect(scripts[name]).toMatch(/^node -r \.\/scripts\/esbuild-register\.js scripts\/[a-z-]+\.ts$/);
    }
  });

  it("keeps synth and the tests offline: the scripts that run the CDKTF CLI or jest set CHECKPOINT_DISABLE", () => {
    const scripts = pkg().scripts as Record<string, string>;
    expect(scripts.synth).toBe("node scripts/no-checkpoint.js cdktf synth");
    expect(scripts.test).toBe("node scripts/test.js");
    expect(read("scripts/test.js")).toContain('CHECKPOINT_DISABLE: "1"');
    // Every script that runs cdktf or jest goes through the wrapper.
    const unwrapped = Object.entries(scripts).filter(([, line]) => /(^|&& )(cdktf|jest)\b/.test(line));
    expect(unwrapped).toEqual([]);
  });

  it("sets CHECKPOINT_DISABLE=1 for the command it runs, and passes its exit status on", () => {
    const wrapper = path.join(__dirname, "..", "..", "scripts", "no-checkpoint.js");
    const env = { ...process.env };
    delete env.CHECKPOINT_DISABLE;
    const seen = spawnSync(process.execPath, [wrapper, process.execPath, "-e", "process.stdout.write(String(process.env.CHECKPOINT_DISABLE)); process.exit(3)"], {
      encoding: "utf8",
      env,
    });
    expect({ stdout: seen.stdout, status: seen.status }).toEqual({ stdout: "1", status: 3 });
    const none = spawnSync(process.execPath, [wrapper], { encoding: "utf8", env });
    expect(none.status).toBe(2);
  });
});

describe("npm test's runner (scripts/test.js): the type check and jest at once, neither check lost", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { typecheckAndTest } = require("../../scripts/test.js") as {
    typecheckAndTest: (typecheck: { command: string; args: string[] }, tests: { command: string; args: string[] }, write?: (text: string) => void) => Promise<number>;
  };
  // The type check's stand-in prints what it was given and CHECKPOINT_DISABLE; the tests' (whose output is not
  // captured) prints nothing.
  const exiting = (status: number, output?: string) => ({
    command: process.execPath,
    args: ["-e", `${output === undefined ? "" : `process.stdout.write(${JSON.stringify(output)} + String(process.env.CHECKPOINT_DISABLE)); `}process.exit(${status})`],
  });

  it.each([
    [0, 0, 0],
    [2, 0, 2],
    [0, 1, 1],
    [2, 1, 2],
  ])("a type check exiting %i and tests exiting %i make npm test exit %i", async (typeStatus, testStatus, expected) => {
    const written: string[] = [];
    await expect(typecheckAndTest(exiting(typeStatus, "error TS2322 "), exiting(testStatus), (text) => written.push(text))).resolves.toBe(expected);
    // The type check's output (with CHECKPOINT_DISABLE=1 seen by it) is printed when it fails, and only then.
    expect(written.join("")).toBe(
      typeStatus === 0
        ? "npm test: type check (tsc --noEmit) passed\n"
        : `error TS2322 1npm test: type check (tsc --noEmit) failed, exit status ${typeStatus}\n`,
    );
  });
});
