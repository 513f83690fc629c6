import { z } from 'zod';
import { actorSchema } from './actor.js';

/** Carried by every stored event, so that an auditor can tell who caused what, when, and in reply to what. */
export const eventMetadataSchema = z.object({
  eventId: z.uuid(),
  companyId: z.string().min(1),
  sessionId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  actor: actorSchema,
  recordedAt: z.iso.datetime(),
  schemaVersion: z.number().int().positive(),
});

export type EventMetadata = z.infer<typeof eventMetadataSchema>;
