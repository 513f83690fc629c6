import { z } from 'zod';

/** Who caused an event: a user of the API, the gateway itself, or WhatsApp. */
export const actorSchema = z.object({
  type: z.enum(['user', 'system', 'whatsapp']),
  id: z.string().min(1),
});

export type Actor = z.infer<typeof actorSchema>;

export const systemActor = (id: string): Actor => ({ type: 'system', id });
export const whatsappActor = (sessionId: string): Actor => ({ type: 'whatsapp', id: sessionId });
