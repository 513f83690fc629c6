/** SQLSTATE classes and codes that say "try again": the connection, the server's state, or a lost race. */
const transientCodes = new Set([
  '40001',
  '40P01',
  '53300',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '58000',
  '58030',
]);
const transientSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const transientMessages = [
  'Connection terminated',
  'connection error',
  'not queryable',
  'timeout exceeded when trying to connect',
];

/**
 * Whether a database error is passing (the server restarting or failing over, a dropped connection, a deadlock
 * or serialization failure): the same work, tried again later, can succeed. Anything else is about the work.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || transientCodes.has(code) || transientSystemCodes.has(code)) return true;
  }
  if (transientMessages.some((text) => error.message.includes(text))) return true;
  return error.cause !== undefined && error.cause !== error && isTransientDatabaseError(error.cause);
}
