#!/usr/bin/env node
// The panos-guard CLI: runs the bundled build when packaged, the tsc output in a checkout.
'use strict';
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const dev = path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js');
const entry = fs.existsSync(dev) ? dev : bundled;
// A closed pipe (`panos-guard flows F | head -1`) is not an error: stop quietly.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});
process.exitCode = require(entry).main(process.argv.slice(2));
