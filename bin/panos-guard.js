#!/usr/bin/env node
// The panos-guard CLI: runs the newer of the two builds of a checkout, the bundle (`npm run bundle`:
// one file, loads in about half the time) or the tsc output (`npm run build`, which `npm start`
// runs), so that whichever was built last from the sources is the one that runs.
'use strict';
// A run is one batch: parse, model, analyse, print. V8 starts the young generation at 1 MB and doubles
// it after each scavenge, copying what survives every time (on a 10 MB config, ten scavenges and
// ~50 ms). Growing it 16-fold instead reaches the 16 MB ceiling after the first: about four scavenges,
// ~22 ms. The ceiling and the old generation are unchanged (peak RSS the same). Set only on the V8
// releases known to have the flag (Node 18-24): V8 prints an unknown one on stdout.
if (Number(process.versions.v8.split('.')[0]) <= 13) require('v8').setFlagsFromString('--semi-space-growth-factor=16');
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const dev = path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js');
const mtime = (f) => {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return -1;
  }
};
const entry = mtime(bundled) >= mtime(dev) && mtime(bundled) >= 0 ? bundled : dev;
// A closed pipe (`panos-guard flows F | head -1`) is not an error: stop quietly.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});
process.exitCode = require(entry).main(process.argv.slice(2));
