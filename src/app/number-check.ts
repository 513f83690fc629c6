import type { NumberStatus } from '../adapters/whatsapp/port.js';
import { phoneOf, type Jid } from '../domain/jid.js';

/** The send's number was checked a moment ago and is not on WhatsApp. */
export class NumberNotOnWhatsAppError extends Error {
  override readonly name = 'NumberNotOnWhatsAppError';

  constructor(readonly phone: string) {
    super(`O número ${phone} não está no WhatsApp`);
  }
}

export interface NumberCheckOptions {
  /** Asks WhatsApp, through the session. */
  ask: (sessionId: string, phone: string) => Promise<NumberStatus>;
  /** How long an answer is kept (NUMBER_CHECK_TTL_MS). */
  ttlMs: number;
  /** At most this many answers are kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Number checks with a short per-process memory: WhatsApp is asked once per session and number within `ttlMs`
 * (each check is a round trip to its servers, and WhatsApp frowns on bulk lookups). `knownMissing` is the send
 * path's cheap test: only a remembered "not on WhatsApp" refuses a send, it never asks.
 */
export function createNumberCheck(options: NumberCheckOptions) {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const answers = new Map<string, { status: NumberStatus; until: number }>();
  const keyOf = (sessionId: string, phone: string) => `${sessionId} ${phone}`;

  const remembered = (sessionId: string, phone: string): NumberStatus | undefined => {
    const key = keyOf(sessionId, phone);
    const found = answers.get(key);
    if (found && found.until > now()) return found.status;
    if (found) answers.delete(key);
    return undefined;
  };

  return {
    async check(sessionId: string, phone: string): Promise<NumberStatus> {
      const known = remembered(sessionId, phone);
      if (known) return known;
      const status = await options.ask(sessionId, phone);
      if (options.ttlMs > 0) {
        if (answers.size >= maxEntries) answers.delete(answers.keys().next().value!);
        answers.set(keyOf(sessionId, phone), { status, until: now() + options.ttlMs });
      }
      return status;
    },
    /** Throws NumberNotOnWhatsAppError when a recent check found the number of `to` (a JID) missing. */
    refuseKnownMissing(sessionId: string, to: Jid): void {
      const phone = phoneOf(to);
      if (phone && remembered(sessionId, phone)?.exists === false) throw new NumberNotOnWhatsAppError(phone);
    },
  };
}

export type NumberCheck = ReturnType<typeof createNumberCheck>;
