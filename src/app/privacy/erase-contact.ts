import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.js';
import type { ContactKeyStore } from '../../adapters/privacy/contact-key-store.js';
import type { Actor } from '../../domain/actor.js';
import { chatStreamName } from '../../domain/chat/chat-stream.js';
import { individualChatJid } from '../../domain/privacy/contact-of-stream.js';
import {
  privacyEventSchemas,
  privacyStreamName,
  type ContactErasedData,
} from '../../domain/privacy/privacy-events.js';
import { contactHash } from './contact-hash.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { deleteContactMedia, mediaOfContact, type ContactMedia } from './contact-media.js';
import { lidContact, lidsOfContact } from './contact-lids.js';

export interface EraseContactDeps<T> {
  db: Kysely<T>;
  store: EventStore;
  keys: ContactKeyStore;
  blobs: MediaBlobStore;
  hashSalt: Buffer;
  clock?: () => Date;
}

export interface ErasureRequest {
  companyId: string;
  /** Digits, international format (domain/privacy/contact-phone.ts). */
  phone: string;
  actor: Actor;
  correlationId: string;
}

/**
 * Erases a contact of one company (README, "Privacy: crypto-shredding"), in an order that a crash at any
 * step leaves safe to repeat: the erasure is recorded (who, when, the contact as a keyed hash), the contact's
 * key is destroyed (every sealed field of its chats is unreadable from then on, in every process and rebuild),
 * each of its chats gets a ChatErased that the projectors scrub the read models with, and the files only it
 * referenced (its messages' and its profile picture) are deleted, as are the kept webhook payloads of its chats.
 */
export function eraseContact<T>(deps: EraseContactDeps<T>) {
  const clock = deps.clock ?? (() => new Date());
  return async (request: ErasureRequest): Promise<ContactErasedData> => {
    const { companyId, phone, actor, correlationId } = request;
    const phoneJid = individualChatJid(phone);
    // The contact's one-to-one chats, and those addressed only by a linked-device id known to be its.
    const lids = await lidsOfContact(deps.db, companyId, phoneJid);
    const chats: { chatJid: string; sessions: string[]; media: ContactMedia }[] = [];
    for (const chatJid of [phoneJid, ...lids])
      chats.push({
        chatJid,
        sessions: await sessionsWithChat(deps.db, companyId, chatJid),
        media: await mediaOfContact(deps.db, companyId, chatJid, phone),
      });
    const metadata = (sessionId: string | undefined) => {
      const eventId = randomUUID();
      return {
        eventId,
        companyId,
        ...(sessionId === undefined ? {} : { sessionId }),
        correlationId,
        causationId: null,
        actor,
        recordedAt: clock().toISOString(),
        schemaVersion: 1,
      };
    };

    const recorded: ContactErasedData = privacyEventSchemas.ContactErased.parse({
      contactHash: contactHash(deps.hashSalt, companyId, phone),
      chats: chats.reduce((count, chat) => count + chat.sessions.length, 0),
    });
    const erasure = metadata(undefined);
    await deps.store.append(
      privacyStreamName(companyId),
      [{ id: erasure.eventId, type: 'ContactErased', data: { ...recorded }, metadata: erasure }],
      'any',
    );
    await deps.keys.destroy(companyId, phone);
    for (const lid of lids) await deps.keys.destroy(companyId, lidContact(lid));
    for (const { chatJid, sessions } of chats)
      for (const sessionId of sessions) {
        const chat = metadata(sessionId);
        await deps.store.append(
          chatStreamName(sessionId, chatJid),
          [{ id: chat.eventId, type: 'ChatErased', data: {}, metadata: chat }],
          'any',
        );
      }
    for (const { chatJid, sessions, media } of chats) {
      await deleteContactMedia(deps, { companyId, chatJid, phone }, media);
      await scrubWebhookPayloads(deps.db, companyId, sessions, chatJid);
    }
    return recorded;
  };
}

/**
 * The company's sessions that have a chat with this JID (each is a stream `chat-<session>_<jid>`), or in which
 * the contact wrote in a group: its ChatErased there scrubs those messages too.
 */
async function sessionsWithChat<T>(db: Kysely<T>, companyId: string, chatJid: string): Promise<string[]> {
  const { rows } = await sql<{ session_id: string }>`
    select "Session_Id"::text as session_id from "Chats" where "Company_Id" = ${companyId} and "Chat_Id" = ${chatJid}
    union
    select distinct "Session_Id"::text from "Messages" where "Company_Id" = ${companyId} and "Chat_Id" = ${chatJid}
    union
    select distinct "Session_Id"::text from "Messages" where "Company_Id" = ${companyId}
      and "Chat_Id" like '%@g.us' and "Sender" = ${chatJid} and not "From_Me"
    order by 1`.execute(db);
  return rows.map((row) => row.session_id);
}

/**
 * Webhook payloads of the chat, and of the contact's messages, edits and votes in groups, kept for deliveries (pending or done)
 * keep only which message they were about: a delivery made after the erasure carries no text of the contact.
 */
async function scrubWebhookPayloads<T>(
  db: Kysely<T>,
  companyId: string,
  sessions: readonly string[],
  chatJid: string,
): Promise<void> {
  if (sessions.length === 0) return;
  await sql`update webhook_events
    set data = jsonb_build_object('id', data->'id', 'chatId', data->'chatId', 'erased', true)
    where company_id = ${companyId} and session_id = any(${sessions}::text[])
      and type in ('message', 'message_edit', 'poll_vote')
      and (data->>'chatId' = ${chatJid}
        or (type = 'message' and data->>'chatId' like '%@g.us' and data->>'from' = ${chatJid}
          and data->>'fromMe' = 'false')
        or (type = 'poll_vote' and data->>'chatId' like '%@g.us' and data->>'from' = ${chatJid})
        or (type = 'message_edit' and data->>'chatId' like '%@g.us' and exists (
          select 1 from "Messages" m where m."Session_Id"::text = webhook_events.session_id
            and m."Wa_Message_Id" = webhook_events.data->>'id' and m."Sender" = ${chatJid} and not m."From_Me")))`.execute(
    db,
  );
}
