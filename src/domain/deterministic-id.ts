import { createHash } from 'node:crypto';

/** The namespace of zapledger's name-based ids (a fixed random UUID). */
const namespace = Buffer.from('6f1d3c0e8a7b4f2e9c5d1a2b3c4d5e6f', 'hex');

/**
 * A UUID v5 (RFC 9562) of a WhatsApp fact: the same session, fact key and event type always give the same id,
 * so a callback WhatsApp delivers twice appends once.
 */
export function whatsappFactEventId(sessionId: string, factKey: string, eventType: string): string {
  return nameBasedUuid(sessionId, factKey, eventType);
}

/** A UUID v5 of the given parts, for ids that must come out the same every time (a rebuild, a retry). */
export function nameBasedUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(namespace).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
