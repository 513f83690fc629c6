import { createHash, randomBytes } from 'node:crypto';

/** The number a simulated phone has: always the same for a session, so a restored session keeps its identity. */
export function simulatedPhoneNumber(sessionId: string): string {
  const digits =
    BigInt(`0x${createHash('sha256').update(sessionId).digest('hex').slice(0, 12)}`) % 100_000_000n;
  return `551190${digits.toString().padStart(8, '0')}`;
}

/** A message id shaped like WhatsApp's: `<fromMe>_<chat>_<hex>`. */
export function simulatedMessageId(fromMe: boolean, chatJid: string): string {
  return `${fromMe}_${chatJid}_3EB0${randomBytes(8).toString('hex').toUpperCase()}`;
}

export const simulatedQrCode = (sessionId: string, attempt: number): string =>
  `2@${randomBytes(24).toString('base64')},${Buffer.from(sessionId).toString('base64')},${attempt}`;

/** The chat a message id names (`<fromMe>_<chat>_<hex>[_<participant>]`), or null for an id not shaped so. */
export function chatOfSimulatedId(messageId: string): string | null {
  return /^(?:true|false)_([^_]+@[^_]+)_/.exec(messageId)?.[1] ?? null;
}

/** The id a read receipt is logged under in the sent log: `seen_<chat>_<hex>`. */
export const simulatedSeenId = (chatJid: string): string =>
  `seen_${chatJid}_${randomBytes(8).toString('hex').toUpperCase()}`;

/** A pairing code shaped like WhatsApp's: eight letters and digits, `ABCD-EFGH`. */
export function simulatedPairingCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ0123456789';
  const chars = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]!).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}
