// The remediation plan's documents (docs/plans.md "Documents"): pure functions from a plan to
// the bytes of a file, and the task table read back.
export { DOCX_TYPE } from './administrative.ts';
export { planDocx, type PlanContent } from './plan-docx.ts';
export { progressDocx } from './progress-docx.ts';
export {
  readTasksXlsx,
  TASK_COLUMN_ALIASES,
  TASK_COLUMNS,
  tasksXlsx,
  type TaskTableRow,
} from './tasks-xlsx.ts';
