/**
 * @fileoverview All checks, sorted by code. Retired codes are never reused.
 */
import { check as pano000 } from './pano000-syntax';
import { check as pano001 } from './pano001-blocked-flow';
import { check as pano002 } from './pano002-no-final-deny';
import { check as pano003 } from './pano003-custom-service';
import { check as pano010 } from './pano010-application-any';
import { check as pano011 } from './pano011-service-any';
import { check as pano012 } from './pano012-wide-ports';
import { check as pano013 } from './pano013-source-any';
import { check as pano014 } from './pano014-foreign-apps';
import { check as pano015 } from './pano015-unused-feature-apps';
import { check as pano020 } from './pano020-no-profiles';
import { check as pano021 } from './pano021-no-log-forwarding';
import { check as pano022 } from './pano022-disabled-rule-needed';
import { check as pano023 } from './pano023-shadowed-rule';
import { check as pano024 } from './pano024-no-permitted-ip';
import { check as pano025 } from './pano025-insecure-management';
import { check as pano026 } from './pano026-unknown-verdict';
import { check as pano027 } from './pano027-no-protecting-group';
import type { Check, CheckMeta } from './types';

export const checks: Check[] = [pano000, pano001, pano002, pano003, pano010, pano011, pano012, pano013, pano014, pano015, pano020, pano021, pano022, pano023, pano024, pano025, pano026, pano027];

/** PANO090: the environment file is invalid (reported on that file). */
export const envFileMeta: CheckMeta = { code: 'PANO090', title: 'Invalid .panos-guard.json', category: 'syntax', severity: 'error', fix: 'none' };

/** PANO091: the text is not in a supported form (brace format, unknown). */
export const unsupportedMeta: CheckMeta = { code: 'PANO091', title: 'Unsupported config format', category: 'syntax', severity: 'warning', fix: 'none' };

export const allMeta: CheckMeta[] = [...checks.map((c) => c.meta), envFileMeta, unsupportedMeta];

export function metaOf(code: string): CheckMeta | undefined {
  return allMeta.find((m) => m.code === code);
}
