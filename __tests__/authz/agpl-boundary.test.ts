import * as fs from "node:fs";
import * as path from "node:path";
import { bundleHandler } from "../../constructs/bundle-handler";

/**
 * `@cloud-copilot/iam-simulate` is AGPL-3.0-or-later: it stays a devDependency used only by the authorization
 * proof (lib/authz, scripts/authz.ts) and its tests. Nothing deployed, bundled or shipped may import it, nor import
 * the proof that does.
 */
const ROOT = path.resolve(__dirname, "../..");
const ALLOWED = [/^lib\/authz\//, /^scripts\/authz\.ts$/, /^__tests__\/authz\//];
const SKIPPED_FOLDERS = new Set(["node_modules", "cdktf.out", ".build", ".git", "coverage"]);

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith(".") ? [] : sourceFiles(relative);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [relative] : [];
  });
}

/** The files outside the proof that name the AGPL library or the proof's modules. */
export function offendingImports(files: readonly { readonly file: string; readonly source: string }[]): string[] {
  return files
    .filter(({ file }) => !ALLOWED.some((pattern) => pattern.test(file)))
    .filter(({ source }) => /@cloud-copilot\//.test(source) || /["'][./]*lib\/authz\/|["']\.\.?\/authz\//.test(source))
    .map(({ file }) => file);
}

describe("the AGPL-licensed simulator stays inside the proof", () => {
  it("is a devDependency, pinned exactly, and not a dependency", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies["@cloud-copilot/iam-simulate"]).toBeUndefined();
    expect(pkg.devDependencies["@cloud-copilot/iam-simulate"]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is imported by no file outside lib/authz, scripts/authz.ts and __tests__/authz", () => {
    const files = sourceFiles("").map((file) => ({ file, source: fs.readFileSync(path.join(ROOT, file), "utf8") }));
    expect(files.length).toBeGreaterThan(50);
    expect(offendingImports(files)).toEqual([]);
  });

  it("is in none of the Lambda bundles, which are what Terraform uploads", () => {
    const handlers = fs.readdirSync(path.join(ROOT, "handlers"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(handlers.length).toBeGreaterThan(0);
    for (const handler of handlers) {
      const bundle = bundleHandler(handler.name);
      const files = (fs.readdirSync(bundle, { recursive: true }) as string[]).filter((file) => file.endsWith(".js"));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(fs.readFileSync(path.join(bundle, file), "utf8")).not.toMatch(/cloud-copilot|iam-simulate/);
    }
  });

  it("would catch a stack or a handler importing it, or importing the proof", () => {
    expect(
      offendingImports([
        { file: "stacks/alerting-stack.ts", source: 'import { runSimulation } from "@cloud-copilot/iam-simulate";' },
        { file: "handlers/log-processor/index.ts", source: 'import { runProof } from "../../lib/authz/proof";' },
        { file: "lib/authz/evaluate.ts", source: 'import { runSimulation } from "@cloud-copilot/iam-simulate";' },
      ]),
    ).toEqual(["stacks/alerting-stack.ts", "handlers/log-processor/index.ts"]);
  });
});
