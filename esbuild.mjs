// Bundles the client, the language server and the CLI into dist/ (one file each).
// `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: !production, minify: production, logLevel: 'warning' };

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
]);

// The CLI's code cache (see bin/panos-guard.js): the examples and a Panorama scenario linted and
// their flows listed once, in one process, with the bundle just built. Not for the VSIX (no CLI there).
if (!production) {
  const { spawnSync } = await import('node:child_process');
  const { existsSync } = await import('node:fs');
  const inputs = [
    'examples/firewall-in-front-of-panorama.xml',
    'examples/firewall-in-front-of-panorama.set',
    'test/fixtures/scenarios/panorama-dg/config.xml',
    'test/fixtures/scenarios/panorama-dg/config.set',
  ].filter((f) => existsSync(f));
  const r = spawnSync(process.execPath, ['bin/panos-guard.js', 'lint', ...inputs, '+', 'flows', ...inputs], {
    env: { ...process.env, PANOS_GUARD_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0 && r.status !== 1) console.warn(`panos-guard: no CLI code cache written (exit ${r.status}): ${r.stderr}`);
}
