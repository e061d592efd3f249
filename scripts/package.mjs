#!/usr/bin/env node
// Packages the bundled extension into a VSIX with @vscode/vsce (no node_modules: everything is bundled),
// then prints its size and file list. Output: .test-output/panos-guard-<version>.vsix (not committed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const out = join(repo, '.test-output', `panos-guard-${pkg.version}.vsix`);
mkdirSync(dirname(out), { recursive: true });
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
const run = (args) => execFileSync(process.execPath, [vsce, ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
run(['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out]);
const files = run(['ls', '--no-dependencies']).trim().split('\n').filter(Boolean);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB, ${files.length} files`);
for (const f of files) console.log(`  ${f}`);
