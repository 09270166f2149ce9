// What each role may open in the console; the API checks again and answers 403 outside it.
import type { Role } from './schemas.ts';

export const can = {
  organise: (role: Role) => role === 'admin' || role === 'surveyor',
  enter: (role: Role) => role === 'admin' || role === 'surveyor',
  score: (role: Role) => role !== 'surveyor',
  /** Peer groups: the page to list and import them. */
  peers: (role: Role) => role === 'admin' || role === 'analyst',
  /** Quarantine review and the audit log: an admin's. */
  review: (role: Role) => role === 'admin',
  /** Reorganisations of the units (merges, splits, transfers on a date). */
  reorganise: (role: Role) => role === 'admin',
  /** Publishing a period's PAR results (the API also lets the top of the map's appraisers). */
  publish: (role: Role) => role === 'admin',
  /** A unit's account scores its own PAR self-assessment. */
  selfAssess: (role: Role) => role === 'unit',
  /** The queue of assessments waiting for the account's appraisal stage. */
  appraise: (role: Role) => role === 'appraiser' || role === 'admin',
  /**
   * The overview of a self-assessment round: who submitted, who is late, who was returned (an
   * appraiser follows the units it appraises there).
   */
  overseeAssessments: (role: Role) =>
    role === 'admin' || role === 'analyst' || role === 'appraiser',
  /** Remediation plans: read within the account's scope (a unit's account, its own subtree). */
  readPlans: (role: Role) => role !== 'surveyor',
  /**
   * Drafting a plan and writing its sections, tasks and progress: an admin, an analyst within
   * its scope, a unit's account for its own unit only (the API checks the scope).
   */
  writePlans: (role: Role) => role === 'admin' || role === 'analyst' || role === 'unit',
  /**
   * The officials' survey: creating one, loading its groups, its links and reissuing a link are
   * a survey unit's (par-cycle.md §5).
   */
  runOfficials: (role: Role) => role === 'admin' || role === 'surveyor',
  /** Storing the officials' survey's points as the framework's PAR points. */
  deriveOfficials: (role: Role) => role === 'admin',
  /** Staff accounts and API tokens. */
  manageAccounts: (role: Role) => role === 'admin',
};
