import type { Actor } from '../domain/actor.js';

/** Who is asking, for which tenant, and as part of what: written into the metadata of every resulting event. */
export interface CommandContext {
  companyId: string;
  sessionId: string;
  actor: Actor;
  /** Ties together every event caused by one request or one WhatsApp callback. */
  correlationId: string;
  /** The event (or request) that led to this command, if any. */
  causationId: string | null;
  /**
   * Set for facts reported by WhatsApp (a message id, a QR attempt …): event ids are then derived from it,
   * so the same callback delivered twice is stored once.
   */
  factKey?: string;
}
