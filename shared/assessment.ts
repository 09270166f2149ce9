// The states of a PAR self-assessment and who moves it between them (par-cycle.md §2,
// docs/assessment.md), written once for the server and the console. Pure and without imports.

export const ASSESSMENT_STATES = [
  'draft',
  'submitted',
  'in-appraisal',
  'returned',
  'resubmitted',
  'appraised',
  'published',
] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];

/**
 * An appraisal stage: `parent`, an appraiser scoped to the unit's parent on the period's map
 * (a district appraising its communes; skipped for a unit whose parent is the top of the map),
 * or `top`, an appraiser scoped to the top of the map (the province's team) or an admin.
 */
export const STAGES = ['parent', 'top'] as const;
export type Stage = (typeof STAGES)[number];

/** The states in which the unit edits its self-scores, evidence and explanations. */
export const UNIT_EDITS: readonly AssessmentState[] = ['draft', 'returned'];

/** The states in which the stage's appraiser scores leaves, returns them, or finishes. */
export const APPRAISER_WORKS: readonly AssessmentState[] = [
  'submitted',
  'resubmitted',
  'in-appraisal',
];

export function unitEdits(state: AssessmentState): boolean {
  return UNIT_EDITS.includes(state);
}

export function appraiserWorks(state: AssessmentState): boolean {
  return APPRAISER_WORKS.includes(state);
}

/** The evidence types a leaf accepts (checked on the file's content, not its name). */
export const EVIDENCE_TYPES = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'jpg', 'png'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** The largest evidence file, in bytes. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
