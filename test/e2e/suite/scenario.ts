/**
 * @fileoverview The scenario the e2e suite checks: which file to open and which diagnostic and quick fix to
 * expect. Data, not code, so one suite serves the real extension and the infrastructure's own trials.
 */
import { readFileSync } from 'fs';
import { dirname, resolve } from 'path';

export type Scenario = {
  /** Workspace folder, relative to the scenario file. */
  workspace: string;
  /** File to open, relative to the workspace. */
  file: string;
  /** What at least one diagnostic must match (all given fields). */
  diagnostic: { source?: string; code?: string; messageIncludes?: string; severity?: 'error' | 'warning' | 'information' | 'hint' };
  /** Optional quick fix for that diagnostic: its exact title, and text expected in the document after applying it. */
  fix?: { title: string; expectTextIncludes?: string };
};

export type LoadedScenario = Scenario & { workspaceDir: string; filePath: string };

/** Reads PANOS_GUARD_E2E_SCENARIO (set by runExtensionTests.mjs; the default lives in test/e2e/scenarios/). */
export function loadScenario(path = process.env.PANOS_GUARD_E2E_SCENARIO): LoadedScenario {
  if (!path) throw new Error('PANOS_GUARD_E2E_SCENARIO is not set');
  const s = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
  const workspaceDir = resolve(dirname(path), s.workspace);
  return { ...s, workspaceDir, filePath: resolve(workspaceDir, s.file) };
}
