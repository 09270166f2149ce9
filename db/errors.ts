// Which database failures mean "the database is not there right now" (answer 503 and let
// the client retry) rather than a bug.
/** The database cannot answer now, for a reason found on this side (no SQLSTATE to tell it). */
export class DatabaseUnavailableError extends Error {
  constructor(reason: string) {
    super(`The database is unavailable: ${reason}.`);
    this.name = 'DatabaseUnavailableError';
  }
}

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '53100', // disk_full
  '57014', // query_canceled: statement_timeout, the database too slow or too busy to answer
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (unavailableCodes.has(code)) return true;
  // pg reports a pool or connection that went away, or a query past the client's deadline
  // (query_timeout), with these messages and no code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
    error.message,
  );
}
