import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { version as esbuildVersion } from "esbuild";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";

const RECORD = path.join(PROJECT_ROOT, ".build", "handlers", "test-emitter", "inputs.json");
const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(path.join(PROJECT_ROOT, file))).digest("hex");

/** bundleHandler from a fresh module instance (its in-process cache empty), as a new synth process has it. */
function freshBundleHandler(): (name: string) => string {
  let bundle: ((name: string) => string) | undefined;
  jest.isolateModules(() => {
    bundle = (require("../../constructs/bundle-handler") as typeof import("../../constructs/bundle-handler")).bundleHandler;
  });
  return bundle as (name: string) => string;
}

describe("bundling only what changed", () => {
  it("records the esbuild version and the SHA-256 of every file the bundle was built from", () => {
    const outDir = freshBundleHandler()("test-emitter");
    const record = JSON.parse(fs.readFileSync(RECORD, "utf8"));
    expect(record.key.startsWith(`${esbuildVersion} `)).toBe(true);
    expect(path.join(path.dirname(RECORD), record.digest)).toBe(outDir);
    expect(record.inputs["handlers/test-emitter/index.ts"]).toBe(sha256("handlers/test-emitter/index.ts"));
    for (const [file, digest] of Object.entries(record.inputs as Record<string, string>)) expect(digest).toBe(sha256(file));
    // An intact record is reused: the next process neither bundles nor rewrites it
    const written = fs.statSync(RECORD).mtimeMs;
    expect(freshBundleHandler()("test-emitter")).toBe(outDir);
    expect(fs.statSync(RECORD).mtimeMs).toBe(written);
  });

  it("bundles again when an input no longer has the recorded content", () => {
    freshBundleHandler()("test-emitter");
    const good = fs.readFileSync(RECORD, "utf8");
    const record = JSON.parse(good);
    // Prepare: a record that says the entry point had other content (as after an edit)
    fs.writeFileSync(RECORD, JSON.stringify({ ...record, inputs: { ...record.inputs, "handlers/test-emitter/index.ts": "0".repeat(64) } }));
    // Act
    const outDir = freshBundleHandler()("test-emitter");
    // Assess: rebuilt (the record is rewritten with the real content) into the same content-addressed folder
    expect(JSON.parse(fs.readFileSync(RECORD, "utf8")).inputs["handlers/test-emitter/index.ts"]).toBe(sha256("handlers/test-emitter/index.ts"));
    expect(outDir).toBe(path.join(path.dirname(RECORD), record.digest));
  });
});
