import * as path from "node:path";
import { PROJECT_ROOT } from "../../constructs/bundle-handler";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require("../../scripts/jest-sequencer.js") as new (options: { contexts: unknown[]; globalConfig: unknown }) => {
  time(test: { path: string; context: unknown }): number | undefined;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SECONDS = require("../../scripts/jest-suite-seconds.json") as Record<string, number>;

describe("jest's order on a run with no timings of its own (scripts/jest-sequencer.js)", () => {
  const context = { config: { cacheDirectory: path.join(PROJECT_ROOT, ".build", "no-such-jest-cache"), name: "sequencer-test" }, hasteFS: { getSize: () => 0 } };
  const sequencer = new Sequencer({ contexts: [context], globalConfig: {} });
  const suite = (file: string) => ({ path: path.join(PROJECT_ROOT, file), context });

  it("gives a suite the recorded time when jest's cache has none, and none to a suite never recorded", () => {
    const [slowest, seconds] = Object.entries(SECONDS)[0] as [string, number];
    expect(sequencer.time(suite(slowest))).toBe(seconds * 1000);
    expect(sequencer.time(suite("__tests__/no-such.test.ts"))).toBeUndefined();
  });

  it("records a time for existing suites only, slowest first", () => {
    const files = Object.keys(SECONDS);
    expect(files.length).toBeGreaterThan(100);
    expect(files.every((file) => /^__tests__\/.+\.test\.ts$/.test(file))).toBe(true);
    const times = Object.values(SECONDS);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
