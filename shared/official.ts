// The officials' survey's rules that the browser (the officials' page, the console) and the
// server both apply, each written once (par-cycle.md §5, docs/officials.md). Pure and without
// imports: the officials' page loads it, so keep it small.

/** Group-level results of fewer respondents than this are suppressed, unless a survey says more. */
export const MIN_GROUP_DEFAULT = 5;

/**
 * An invitation's token: 16 random bytes in base64url, 22 characters. As an HTML `pattern` and,
 * anchored, on the server.
 */
export const INVITATION_TOKEN_PATTERN = '[A-Za-z0-9_\\-]{22}';

/** The limits of an officials' survey's files and answers. */
export const OFFICIAL_LIMITS = {
  /** Rows of one group file. */
  groupRows: 5000,
  /** Respondents invited in one group: as many links are issued. */
  invitedPerGroup: 5000,
  /** Links one survey holds, used, unused and revoked. */
  invitationsPerSurvey: 200_000,
  /** A group's name, in characters. */
  groupName: 200,
  /** Items of one instrument. */
  items: 200,
  /** A submission's body, in bytes. */
  submissionBytes: 16_384,
} as const;

/** Answered of invited, as a share in [0, 1]; null when nobody was invited. */
export function responseRate(answered: number, invited: number): number | null {
  return invited > 0 ? answered / invited : null;
}

/** Whether a group's results are withheld so that a small group's answers cannot be read off. */
export function isSuppressed(respondents: number, minGroup: number): boolean {
  return respondents < minGroup;
}
