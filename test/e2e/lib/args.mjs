// Parses the VS Code style command line that @vscode/test-electron's runTests hands to the executable it starts.
import { resolve } from 'node:path';

// Flags that take a value, accepted both as --flag=value and as --flag value.
const VALUE_FLAGS = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir',
  'install-extension', 'uninstall-extension', 'launcher-timeout', 'folder-uri']);

/**
 * Returns { extensionDevelopmentPaths, extensionTestsPath, userDataDir, extensionsDir, folder, timeoutMs,
 * cli, ignored }. Unknown flags (--no-sandbox, --disable-updates, ...) are meaningful only to desktop VS Code.
 */
export function parseLauncherArgs(argv, env = process.env) {
  const out = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, userDataDir: undefined,
    extensionsDir: undefined, folder: undefined, timeoutMs: Number(env.PANOS_GUARD_E2E_TIMEOUT || 120) * 1000,
    cli: null, ignored: [] };
  const cliArgs = [];
  const modes = new Set();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      out.folder = resolve(arg); // the workspace folder runTests passes through launchArgs
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    let value = eq === -1 ? undefined : arg.slice(eq + 1);
    if (VALUE_FLAGS.has(name) && value === undefined) value = argv[++i];
    switch (name) {
      case 'extensionDevelopmentPath': out.extensionDevelopmentPaths.push(resolve(value)); break;
      case 'extensionTestsPath': out.extensionTestsPath = resolve(value); break;
      case 'user-data-dir': out.userDataDir = resolve(value); break;
      case 'extensions-dir': out.extensionsDir = resolve(value); break;
      case 'folder-uri': out.folder = new URL(value).pathname; break;
      case 'launcher-timeout': out.timeoutMs = Number(value) * 1000; break;
      case 'install-extension':
      case 'uninstall-extension':
        // A .vsix path is made absolute; an extension id (publisher.name) is passed as it is.
        cliArgs.push(`--${name}`, /\.vsix$/i.test(value) ? resolve(value) : value);
        modes.add(name);
        break;
      case 'list-extensions': cliArgs.push(`--${name}`); modes.add(name); break;
      case 'show-versions': case 'force': cliArgs.push(`--${name}`); break;
      default: out.ignored.push(arg);
    }
  }
  if (modes.size) out.cli = cliArgs;
  if (!Number.isFinite(out.timeoutMs) || out.timeoutMs <= 0) throw new Error('launcher timeout must be a positive number of seconds');
  return out;
}
