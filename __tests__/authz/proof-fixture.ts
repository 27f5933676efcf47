import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  ConfigurationProof,
  ProofConfiguration,
  proveConfiguration,
  SynthesizedConfiguration,
  synthesizeConfiguration,
} from "../../lib/authz/proof";
import { cloneApp } from "./mutate-app";

const ROOT = path.resolve(__dirname, "../..");

/** One configuration, synthesized and proven; filled in by the `beforeAll` that {@link proveOnce} registers. */
export interface ProvenConfiguration {
  synthesized: SynthesizedConfiguration;
  proof: ConfigurationProof;
}

/**
 * Synthesizes the configurations (at once, in child processes) and proves each, once for the calling file, in a
 * temporary folder removed afterwards. Read the results inside tests, not at collection time.
 */
export function proveOnce(...configurations: readonly ProofConfiguration[]): ProvenConfiguration[] {
  const proven = configurations.map(() => ({}) as ProvenConfiguration);
  let workDir: string | undefined;
  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "authz-test-"));
    const synthesized = await Promise.all(configurations.map((configuration) => synthesizeConfiguration(ROOT, workDir as string, configuration)));
    for (const [i, one] of synthesized.entries()) {
      const target = proven[i] as ProvenConfiguration;
      target.synthesized = one;
      target.proof = await proveConfiguration(one);
    }
  });
  afterAll(() => {
    if (workDir !== undefined) fs.rmSync(workDir, { recursive: true, force: true });
  });
  return proven;
}

/** The proof over a copy of a configuration's app that `breakIt` changed. */
export async function proveBroken(
  synthesized: SynthesizedConfiguration,
  breakIt: (app: SynthesizedConfiguration["app"]) => void,
): Promise<ConfigurationProof> {
  const app = cloneApp(synthesized.app);
  breakIt(app);
  return proveConfiguration({ ...synthesized, app });
}

/** Synthesizes one more configuration in a temporary folder of its own, removed once it is read. */
export async function synthesizeAlone(configuration: ProofConfiguration): Promise<SynthesizedConfiguration> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "authz-test-"));
  try {
    return await synthesizeConfiguration(ROOT, workDir, configuration);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
