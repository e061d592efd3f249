#!/usr/bin/env node
// The panos-guard language server for any LSP client: `panos-guard-lsp --stdio`.
'use strict';
const fs = require('fs');
const path = require('path');
const bundled = path.join(__dirname, '..', 'dist', 'server.js');
const dev = path.join(__dirname, '..', 'out', 'server', 'src', 'lsp.js');
require(fs.existsSync(dev) ? dev : bundled);
