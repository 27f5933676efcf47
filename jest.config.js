/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Type-checking is done once by `tsc --noEmit` in `npm test`; jest only strips types, with esbuild.
  transform: { "^.+\\.ts$": "<rootDir>/scripts/esbuild-jest.js" },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  // Jest's default is one worker less than the CPUs: on a 2-core machine, one worker, in band. The suites spend much of
  // their time waiting on child processes (dynalite, synth), so one worker per CPU finishes sooner.
  maxWorkers: "100%",
  // Slowest suites first even on a fresh clone, from recorded times (scripts/jest-sequencer.js): fewer minutes at the
  // end with one worker idle.
  testSequencer: "<rootDir>/scripts/jest-sequencer.js",
};
