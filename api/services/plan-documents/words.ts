// The words the plan's documents write for a task's status and deadline, the same in the
// plan, its progress report and the task table (which reads them back).
import type { TaskStatus } from '../../../shared/plan.ts';
import { day } from '../../../shared/notation.ts';

export const STATUS_WORDS: Record<TaskStatus, string> = {
  'not-started': 'Chưa thực hiện',
  'in-progress': 'Đang thực hiện',
  done: 'Đã hoàn thành',
};

/** A task without a deadline runs all along ("thường xuyên"). */
export const ONGOING = 'Thường xuyên';

export const deadlineText = (deadline: string | null) =>
  deadline === null ? ONGOING : day(deadline);

/**
 * Units as the documents name them: a lead or coordinating unit written as a code shows as its
 * name, when the caller knows it; anything else as written.
 */
export const unitNamer =
  (unitNames: ReadonlyMap<string, string> = new Map()) =>
  (unit: string) =>
    unitNames.get(unit) ?? unit;
