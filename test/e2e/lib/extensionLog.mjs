// The extension's output channel logs ("PAN-OS Guard.log": the client's errors and the server's trace)
// under a VS Code user-data directory, for a failing test's report.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const LOG_NAME = 'PAN-OS Guard.log';

/** Each extension log under `userDataDir/logs`, as `--- path` and its text; a note when there is none. */
export function extensionLogs(userDataDir) {
  const dir = join(userDataDir, 'logs');
  let files;
  try {
    files = readdirSync(dir, { recursive: true }).map(String).filter((f) => basename(f) === LOG_NAME);
  } catch (e) {
    return `(no logs: ${e.message})`;
  }
  if (files.length === 0) return `(no ${LOG_NAME} under ${dir})`;
  return files.map((f) => `--- ${join(dir, f)}\n${readFileSync(join(dir, f), 'utf8') || '(empty)'}`).join('\n');
}
