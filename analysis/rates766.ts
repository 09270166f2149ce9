// The rates of Decision 766/QĐ-TTg (spec §6, interchange.md §2 `cases.csv`): a real-time rating
// of every case file and every piece of feedback. A metric family of its own, never mixed with
// SIPAS's top-two-box figures.

export interface Case {
  unit: string;
  period: string;
  kind: 'file' | 'feedback';
  onTime: boolean;
  /** Rated dissatisfied, or a complaint about the handling or its lateness. */
  dissatisfied: boolean;
  /** Feedback within the agency's competence; not used for files. */
  inCompetence: boolean;
}

export interface Counts766 {
  files: number;
  /** Files rated dissatisfied or handled late. */
  filesDissatisfiedOrLate: number;
  feedback: number;
  /** Feedback rated dissatisfied or handled late. */
  feedbackDissatisfiedOrLate: number;
  feedbackInCompetence: number;
  feedbackInCompetenceOnTime: number;
}

export interface Rates766Row extends Counts766 {
  unit: string;
  period: string;
  /** 100 × (files − files dissatisfied or late) / files; null without files. */
  fileSatisfaction: number | null;
  /** 100 × (feedback − feedback dissatisfied or late) / feedback; null without feedback. */
  feedbackSatisfaction: number | null;
  /** 100 × feedback in competence on time / feedback in competence; null without any. */
  feedbackOnTime: number | null;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Counts cases as they come (a province's year can hold millions) and gives the rates after. */
export function tally766() {
  const byUnit = new Map<string, Map<string, Counts766>>();
  return {
    add(c: Case): void {
      let byPeriod = byUnit.get(c.unit);
      if (!byPeriod) byUnit.set(c.unit, (byPeriod = new Map()));
      let counts = byPeriod.get(c.period);
      if (!counts) {
        counts = {
          files: 0,
          filesDissatisfiedOrLate: 0,
          feedback: 0,
          feedbackDissatisfiedOrLate: 0,
          feedbackInCompetence: 0,
          feedbackInCompetenceOnTime: 0,
        };
        byPeriod.set(c.period, counts);
      }
      const bad = c.dissatisfied || !c.onTime ? 1 : 0;
      if (c.kind === 'file') {
        counts.files += 1;
        counts.filesDissatisfiedOrLate += bad;
      } else {
        counts.feedback += 1;
        counts.feedbackDissatisfiedOrLate += bad;
        if (c.inCompetence) {
          counts.feedbackInCompetence += 1;
          counts.feedbackInCompetenceOnTime += c.onTime ? 1 : 0;
        }
      }
    },
    /** One row per unit and period, ordered by unit then period (as text). */
    rows(): Rates766Row[] {
      return [...byUnit]
        .sort(([a], [b]) => byText(a, b))
        .flatMap(([unit, byPeriod]) =>
          [...byPeriod]
            .sort(([a], [b]) => byText(a, b))
            .map(([period, counts]) => ({
              unit,
              period,
              files: counts.files,
              filesDissatisfiedOrLate: counts.filesDissatisfiedOrLate,
              fileSatisfaction: percent(
                counts.files - counts.filesDissatisfiedOrLate,
                counts.files,
              ),
              feedback: counts.feedback,
              feedbackDissatisfiedOrLate: counts.feedbackDissatisfiedOrLate,
              feedbackSatisfaction: percent(
                counts.feedback - counts.feedbackDissatisfiedOrLate,
                counts.feedback,
              ),
              feedbackInCompetence: counts.feedbackInCompetence,
              feedbackInCompetenceOnTime: counts.feedbackInCompetenceOnTime,
              feedbackOnTime: percent(
                counts.feedbackInCompetenceOnTime,
                counts.feedbackInCompetence,
              ),
            })),
        );
    },
  };
}
