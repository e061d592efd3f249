/**
 * @fileoverview Entry point loaded by the extension host as --extensionTestsPath: registers the e2e tests and
 * runs them; a rejected promise makes VS Code exit with code 1.
 */
import { runRegistered } from './runner';

export async function run(): Promise<void> {
  // Registration happens at import time; importing here (not at top level) keeps a scenario error inside run().
  await import('./panosGuard.test.js');
  const results = await runRegistered();
  console.log(`e2e suite: ${results.length} tests passed`);
}
