// A remediation plan's task statuses, when a task is overdue, and the limits of its texts
// (par-cycle.md §6, docs/plans.md), written once for the server and the console. Pure and
// without imports.

/** The statuses a task is given; `overdue` is not one of them but follows from the deadline. */
export const TASK_STATUSES = ['not-started', 'in-progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * A task is overdue from the day after its deadline (both days in Vietnam's time, YYYY-MM-DD,
 * which compare as text) until it is done; an ongoing task (no deadline) never is.
 */
export function isOverdue(
  task: { status: TaskStatus; deadline: string | null },
  today: string,
): boolean {
  return task.status !== 'done' && task.deadline !== null && today > task.deadline;
}

/** The longest texts a plan takes, in characters: enough for a plan's paragraphs, no more. */
export const PLAN_LIMITS = {
  /** A task's content, expected output, lead or a coordinating unit. */
  taskText: 2000,
  /** Coordinating units, nodes or factors of one task. */
  taskList: 50,
  /** A progress report's text. */
  reportText: 5000,
  /** One of the plan's editable sections. */
  sectionText: 20000,
  /** Tasks of one plan. */
  tasks: 200,
} as const;
