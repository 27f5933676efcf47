#!/usr/bin/env node
/**
 * `node scripts/jest-suite-seconds.js results.json [...]`: rewrites scripts/jest-suite-seconds.json (the order
 * scripts/jest-sequencer.js gives suites jest has no time for) from the `--json` output of one or more jest runs: each
 * suite's mean time, in seconds, slowest first.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("jest-suite-seconds: name the jest --json output file(s)\n");
  process.exit(2);
}
const times = new Map();
for (const file of files) {
  for (const suite of JSON.parse(fs.readFileSync(file, "utf8")).testResults) {
    const name = path.relative(ROOT, suite.name).split(path.sep).join("/");
    times.set(name, [...(times.get(name) ?? []), suite.endTime - suite.startTime]);
  }
}
const seconds = [...times]
  .map(([name, each]) => [name, Math.round(each.reduce((sum, ms) => sum + ms, 0) / each.length / 100) / 10])
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
fs.writeFileSync(path.join(__dirname, "jest-suite-seconds.json"), `${JSON.stringify(Object.fromEntries(seconds), null, 1)}\n`);
process.stdout.write(`jest-suite-seconds: ${seconds.length} suites\n`);
