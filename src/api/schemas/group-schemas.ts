import { z } from 'zod';
import { jidKind, toJid } from '../../domain/jid.js';

/** A person's WhatsApp address: digits in international format, or the same ending in `@c.us`. */
const participantJid = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        return jidKind(toJid(value)) === 'individual';
      } catch {
        return false;
      }
    },
    { message: 'must be a number in international format (digits) or a JID ending in @c.us' },
  )
  .transform((value) => toJid(value) as string);

const participantList = z.array(participantJid).max(1024);

export const groupParams = z
  .object({
    id: z.uuid({ message: 'must be a session id (UUID)' }),
    groupId: z
      .string()
      .regex(/^\d{6,20}(-\d{6,20})?@g\.us$/, { message: 'must be a group id ending in @g.us' }),
  })
  .strict();

export const createGroupBody = z
  .object({
    subject: z.string().trim().min(1, { message: 'must not be empty' }).max(100),
    participants: participantList.min(1, { message: 'must name at least one participant' }),
  })
  .strict();

export const participantsBody = z
  .object({
    add: participantList,
    remove: participantList,
    promote: participantList,
    demote: participantList,
  })
  .partial()
  .strict()
  .refine((body) => Object.values(body).some((list) => list.length > 0), {
    message: 'name at least one participant to add, remove, promote or demote',
  });

const participantShape = z.object({ jid: z.string(), isAdmin: z.boolean() });

export const groupShape = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  description: z.string().nullable(),
  participants: z.array(participantShape),
});

export const groupsReply = z.object({ groups: z.array(groupShape) });

const refusedShape = z.object({ jid: z.string(), reason: z.string() });

export const createdGroupReply = groupShape.extend({ refused: z.array(refusedShape) });

export const participantsReply = groupShape.extend({
  refused: z.array(refusedShape.extend({ action: z.enum(['add', 'remove', 'promote', 'demote']) })),
});
