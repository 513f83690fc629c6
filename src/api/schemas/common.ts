import { z } from 'zod';

export const sessionIdParams = z.object({ id: z.uuid({ message: 'must be a session id (UUID)' }) }).strict();

export const errorReply = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ location: z.string(), path: z.string(), message: z.string() })).optional(),
  requestId: z.string(),
});

export const messageReply = z.object({ message: z.string() });

/** Error replies every authenticated route may give. */
export const authErrors = { 400: errorReply, 401: errorReply, 403: errorReply } as const;
export const sessionErrors = { ...authErrors, 404: errorReply } as const;
