import type { NumberStatus } from '../port.js';

/**
 * WPPConnect's `checkNumberStatus` answer (WAPI's `{ id, numberExists, status }`, where `id` is a wid object or
 * its serialized string) as the port's NumberStatus. An answer not shaped so counts as "not on WhatsApp".
 */
export function numberStatusOf(answer: unknown): NumberStatus {
  if (typeof answer !== 'object' || answer === null) return { exists: false, jid: null };
  const { id, numberExists } = answer as { id?: unknown; numberExists?: unknown };
  const jid = serialized(id);
  return numberExists === true && jid ? { exists: true, jid } : { exists: false, jid: null };
}

function serialized(id: unknown): string | null {
  if (typeof id === 'string') return id;
  if (typeof id === 'object' && id !== null) {
    const value = (id as { _serialized?: unknown })._serialized;
    if (typeof value === 'string') return value;
  }
  return null;
}
