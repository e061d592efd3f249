/**
 * @fileoverview What crosses the wire between the client and the server: settings, custom
 * requests and notifications (prefix `panos/`). Both sides import this module.
 */

export type SeverityOverride = 'off' | 'error' | 'warning' | 'information' | 'hint';

/** `panosGuard.*` settings, pulled per resource. */
export type Settings = {
  enable: boolean;
  /** Severity per check code, or 'off' (wins over the env file's `rules`). */
  rules: Record<string, SeverityOverride>;
  /** Above this size only syntax checks run (MB). */
  maxFileSizeMB: number;
  /** Delay between the last edit and the analysis (ms). */
  debounceMs: number;
  /** Explicit environment file path (absolute or relative to the workspace folder); empty = search. */
  envFile: string;
};

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, maxFileSizeMB: 64, debounceMs: 150, envFile: '' };

/** Server → client: what the language status item should show for a document. */
export const StatusNotification = 'panos/status';
export type StatusParams = {
  uri: string;
  state: 'ok' | 'syntax-only' | 'not-panos' | 'disabled';
  /** Short text for the status item. */
  text: string;
  detail: string;
  blocked: number;
  allowed: number;
  unknown: number;
};

/** Client → server: the flow table of a document. */
export const FlowTableRequest = 'panos/flowTable';
export type FlowTableParams = { uri: string };
export type FlowTableResult = {
  uri: string;
  contexts: { id: string; label: string; because: string; inPath: boolean }[];
  flows: {
    id: string;
    catalogId: string;
    flow: string;
    verdict: string;
    summary: string;
    rule: string | null;
    rulebase: string | null;
    range: { start: { line: number; character: number }; end: { line: number; character: number } } | null;
    context: string;
  }[];
  skipped: { id: string; label: string; why: string }[];
};

/** Client → server: the environment file template for a document (Panorama addresses it found). */
export const EnvTemplateRequest = 'panos/envTemplate';
export type EnvTemplateParams = { uri: string };

/** Code action kind of the source action "Insert the Panorama rule set". */
export const INSERT_RULE_SET_KIND = 'source.panosGuard.insertRuleSet';

/** Client command ids. */
export const Commands = {
  insertRuleSet: 'panosGuard.insertRuleSet',
  showFlowTable: 'panosGuard.showFlowTable',
  createEnvFile: 'panosGuard.createEnvFile',
  openDocs: 'panosGuard.openDocs',
} as const;
