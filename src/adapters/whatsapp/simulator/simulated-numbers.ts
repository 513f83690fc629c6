import type { NumberStatus } from '../port.js';

/**
 * The simulator's rule for who is on WhatsApp: every number is, except those of the country code 999, which
 * E.164 leaves unassigned (e.g. `9991234567`). Tests and demos use such a number for "not on WhatsApp".
 */
export const missingCountryCode = '999';

export function simulatedNumberStatus(phone: string): NumberStatus {
  return phone.startsWith(missingCountryCode)
    ? { exists: false, jid: null }
    : { exists: true, jid: `${phone}@c.us` };
}

/** A chat the simulated WhatsApp cannot deliver to: an individual whose number is not on WhatsApp. */
export function isMissingChat(chatJid: string): boolean {
  return chatJid.endsWith('@c.us') && !simulatedNumberStatus(chatJid.slice(0, -'@c.us'.length)).exists;
}
