#!/usr/bin/env node
// The panos-guard CLI: runs the bundled build when packaged, the tsc output in a checkout.
'use strict';
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'cli.js');
const dev = path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js');
const entry = fs.existsSync(dev) ? dev : bundled;
process.exitCode = require(entry).main(process.argv.slice(2));
