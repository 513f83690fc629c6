import { z } from 'zod';

/** The stream that records a company's erasures. */
export const privacyStreamName = (companyId: string): string => `privacy-${companyId}`;

/** Events of the `privacy-<companyId>` stream (version 1). Who and when are the event's actor and time. */
export const privacyEventSchemas = {
  /**
   * A contact's personal data was erased: its key destroyed, its chats' read models scrubbed, its files deleted.
   * The contact is named only by a keyed hash (HMAC-SHA256 under the company's erasure salt): whoever holds a
   * number can check whether it was erased, nobody can read the number from history.
   */
  ContactErased: z.object({
    contactHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** How many chats of the contact (one per session) were scrubbed. */
    chats: z.number().int().nonnegative(),
  }),
} as const;

export type ContactErasedData = z.infer<typeof privacyEventSchemas.ContactErased>;
