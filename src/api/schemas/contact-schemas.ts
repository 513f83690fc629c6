import { z } from 'zod';

export const numberParams = z
  .object({
    id: z.uuid({ message: 'must be a session id (UUID)' }),
    number: z.string().min(1).max(100),
  })
  .strict();

export const numberExistsReply = z.object({
  exists: z.boolean(),
  /** The address WhatsApp knows the number by; null when the number is not on WhatsApp. */
  jid: z.string().nullable(),
});
