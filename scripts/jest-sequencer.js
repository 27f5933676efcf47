/**
 * Jest's test order, for a run with no timings of its own. Jest starts the slowest suites first, to keep both workers
 * busy to the end, but only knows a suite's time from its last run on this machine (its cache); on a fresh clone (CI)
 * it falls back to file size, which puts short files of many cases before long single-case suites
 * (`model/failure-state-machine` is one test), and the run ends with one worker alone on them. This sequencer gives
 * such a suite the time recorded in scripts/jest-suite-seconds.json (seconds per suite from two full runs, only ever
 * compared with one another, so the machine they were measured on does not matter). Jest's own cache still wins
 * when it has a time; failed suites still go first; a suite in neither goes first, as jest puts untimed suites.
 * The order changes nothing but the order: every suite runs. Refresh the file from `npm test -- --json
 * --outputFile=r.json` with `node scripts/jest-suite-seconds.js r.json`.
 */
"use strict";
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const ROOT = path.resolve(__dirname, "..");
const SECONDS = require("./jest-suite-seconds.json");

class RecordedTimesSequencer extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const seconds = SECONDS[path.relative(ROOT, test.path).split(path.sep).join("/")];
    return seconds === undefined ? undefined : seconds * 1000;
  }
}

module.exports = RecordedTimesSequencer;
