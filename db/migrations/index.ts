// Every migration, in order. Append a line for each new file; never reorder or remove one.
// A static list (not a folder scan) so that the same migrations load under node, tsx and vitest.
import type { Migration } from 'kysely/migration';
import * as initial from './2026_11_22_0500_initial.ts';
import * as responseTallies from './2026_11_22_0600_response_tallies.ts';
import * as submissionTarget from './2026_11_22_0700_submission_target.ts';
import * as submissionTargets from './2026_11_22_0900_submission_targets.ts';
import * as foldBySnapshot from './2026_11_22_1000_fold_by_snapshot.ts';
import * as tallyAskedBlanks from './2026_12_03_1800_tally_asked_blanks.ts';
import * as unverifiableReason from './2026_12_03_1810_unverifiable_reason.ts';
import * as staffAccounts from './2026_12_04_0100_staff_accounts.ts';
import * as accountIdentity from './2026_12_04_0200_account_identity.ts';
import * as auditFilters from './2026_12_04_0300_audit_filters.ts';
import * as voidResponses from './2026_12_04_0400_void_responses.ts';
import * as revokedTokenReason from './2026_12_04_0500_revoked_token_reason.ts';
import * as counterShortCode from './2026_12_04_0510_counter_short_code.ts';
import * as voidAdjustsTallies from './2026_12_04_0700_void_adjusts_tallies.ts';
import * as organisationOverTime from './2026_12_05_0100_organisation_over_time.ts';
import * as frameworkTrees from './2026_12_05_0200_framework_trees.ts';
import * as assessments from './2026_12_05_0300_assessments.ts';
import * as publications from './2026_12_05_0400_publications.ts';
import * as plans from './2026_12_06_0100_plans.ts';
import * as officialSurveys from './2026_12_07_0100_official_surveys.ts';
import * as foldInSlices from './2026_12_08_0100_fold_in_slices.ts';
import * as tallyText from './2026_12_09_0100_tally_text.ts';
import * as disjointTallySets from './2026_12_10_0100_disjoint_tally_sets.ts';

export const migrations: Record<string, Migration> = {
  '2026_11_22_0500_initial': initial,
  '2026_11_22_0600_response_tallies': responseTallies,
  '2026_11_22_0700_submission_target': submissionTarget,
  '2026_11_22_0900_submission_targets': submissionTargets,
  '2026_11_22_1000_fold_by_snapshot': foldBySnapshot,
  '2026_12_03_1800_tally_asked_blanks': tallyAskedBlanks,
  '2026_12_03_1810_unverifiable_reason': unverifiableReason,
  '2026_12_04_0100_staff_accounts': staffAccounts,
  '2026_12_04_0200_account_identity': accountIdentity,
  '2026_12_04_0300_audit_filters': auditFilters,
  '2026_12_04_0400_void_responses': voidResponses,
  '2026_12_04_0500_revoked_token_reason': revokedTokenReason,
  '2026_12_04_0510_counter_short_code': counterShortCode,
  '2026_12_04_0700_void_adjusts_tallies': voidAdjustsTallies,
  '2026_12_05_0100_organisation_over_time': organisationOverTime,
  '2026_12_05_0200_framework_trees': frameworkTrees,
  '2026_12_05_0300_assessments': assessments,
  '2026_12_05_0400_publications': publications,
  '2026_12_06_0100_plans': plans,
  '2026_12_07_0100_official_surveys': officialSurveys,
  '2026_12_08_0100_fold_in_slices': foldInSlices,
  '2026_12_09_0100_tally_text': tallyText,
  '2026_12_10_0100_disjoint_tally_sets': disjointTallySets,
};
