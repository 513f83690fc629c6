import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.js';
import type { Actor } from '../../domain/actor.js';
import { chatStreamName } from '../../domain/chat/chat-stream.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { deleteContactMedia, mediaOfContact, type ContactMedia } from './contact-media.js';
import { picturesKeptOn } from './kept-pictures.js';

/** What an erasure's events say of who caused them and why. */
export interface ErasureCause {
  companyId: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
}

export interface ErasedChats {
  chats: { chatJid: string; sessions: string[]; media: ContactMedia }[];
  /** Records a ChatErased on each chat, then deletes the files only it referenced and scrubs its payloads. */
  erase(): Promise<void>;
}

/**
 * The erasure of a contact's chats (its one-to-one chat, and those addressed by its linked-device ids), found
 * before its key is destroyed (the read models still tell which files are its), carried out after.
 */
export async function contactChats<T>(
  deps: { db: Kysely<T>; store: EventStore; blobs: MediaBlobStore; clock: () => Date },
  cause: ErasureCause,
  /** Its number (empty when only its keyed hash is known) and that hash. */
  contact: { phone: string; contactHash: string },
  chatJids: readonly string[],
  /** The id of each chat's ChatErased: one that comes out the same every time makes a repeat append nothing. */
  chatErasedId: (sessionId: string, chatJid: string) => string = () => randomUUID(),
): Promise<ErasedChats> {
  const { companyId } = cause;
  const { phone, contactHash } = contact;
  const chats: ErasedChats['chats'] = [];
  for (const chatJid of chatJids) {
    const sessions = await sessionsWithChat(deps.db, companyId, chatJid);
    const media = await mediaOfContact(deps.db, companyId, chatJid, phone);
    // Pictures it showed before its latest, and one its linked-device id had where its number had one.
    const pictures = await picturesKeptOn(deps.store, sessions, chatJid);
    chats.push({
      chatJid,
      sessions,
      media: { ...media, sha256s: [...new Set([...media.sha256s, ...pictures])] },
    });
  }
  return {
    chats,
    async erase() {
      // The payloads first: the contact's messages in groups are found by their sender, which the ChatErased
      // takes out of the read models (a crash in between repeats this step, which finds them again).
      for (const { chatJid, sessions } of chats)
        await scrubWebhookPayloads(deps.db, companyId, sessions, chatJid);
      for (const { chatJid, sessions } of chats)
        for (const sessionId of sessions) {
          const metadata = {
            ...erasureMetadata(cause, deps.clock(), sessionId),
            eventId: chatErasedId(sessionId, chatJid),
          };
          await deps.store.append(
            chatStreamName(sessionId, chatJid),
            [{ id: metadata.eventId, type: 'ChatErased', data: { contactHash }, metadata }],
            'any',
          );
        }
      for (const { chatJid, media } of chats)
        await deleteContactMedia(deps, { companyId, chatJid, phone }, media);
    },
  };
}

/** The metadata of an erasure's event (a fresh id), on a session's stream or on none. */
export function erasureMetadata(cause: ErasureCause, now: Date, sessionId?: string) {
  return {
    eventId: randomUUID(),
    companyId: cause.companyId,
    ...(sessionId === undefined ? {} : { sessionId }),
    correlationId: cause.correlationId,
    causationId: cause.causationId,
    actor: cause.actor,
    recordedAt: now.toISOString(),
    schemaVersion: 1,
  };
}

/**
 * The company's sessions that have a chat with this JID (each is a stream `chat-<session>_<jid>`), or in which
 * the contact wrote, reacted or voted in a group (a change of its still waiting for its message counts),
 * called, was learned to have a linked-device id (or, for an id, learned whose it is), or is or was a member of
 * a group: its ChatErased there scrubs those rows and log lines too.
 */
async function sessionsWithChat<T>(db: Kysely<T>, companyId: string, chatJid: string): Promise<string[]> {
  const { rows } = await sql<{ session_id: string }>`
    select "Session_Id"::text as session_id from "Chats" where "Company_Id" = ${companyId} and "Chat_Id" = ${chatJid}
    union
    select distinct "Session_Id"::text from "Messages" where "Company_Id" = ${companyId} and "Chat_Id" = ${chatJid}
    union
    select distinct "Session_Id"::text from "Messages" where "Company_Id" = ${companyId}
      and "Chat_Id" like '%@g.us' and "Sender" = ${chatJid} and not "From_Me"
    union
    select distinct "Session_Id"::text from "Messages" where "Company_Id" = ${companyId}
      and "Chat_Id" like '%@g.us' and ("Reactions" ? ${chatJid}::text or "Poll_Votes" ? ${chatJid}::text)
    union
    select distinct c."Session_Id"::text from "Early_Message_Changes" c
      join "Sessions" s on s."Id" = c."Session_Id" and s."Company_Id" = ${companyId}
      where c."Data"->>'from' = ${chatJid}
    union
    select distinct "Session_Id"::text from "Session_Logs" where "Company_Id" = ${companyId}
      and "Event_Type" = 'IncomingCallReceived' and "Metadata"->>'from' = ${chatJid}
    union
    select distinct "Session_Id"::text from "Session_Logs" where "Company_Id" = ${companyId}
      and "Event_Type" = 'ContactLidMapped'
      and ("Metadata"->>'phoneJid' = ${chatJid} or "Metadata"->>'lid' = ${chatJid})
    union
    select "Session_Id"::text from "Groups" where "Company_Id" = ${companyId}
      and "Participants" @> ${JSON.stringify([{ jid: chatJid }])}::jsonb
    union
    select distinct "Session_Id"::text from "Session_Logs" where "Company_Id" = ${companyId}
      and "Event_Type" in ('GroupParticipantsChanged', 'GroupCreated', 'GroupParticipantsUpdated')
      and ("Metadata"->'participants' ? ${chatJid} or "Metadata"->>'by' = ${chatJid})
    order by 1`.execute(db);
  return rows.map((row) => row.session_id);
}

/**
 * Webhook payloads of the chat, and of the contact's messages, edits, votes and reactions in groups, kept for
 * deliveries (pending or done), keep only which message they were about, and those of changes of groups'
 * members leave the contact out: a delivery made after the erasure carries no text of the contact, nor its number.
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
      and type in ('message', 'message_edit', 'poll_vote', 'reaction')
      and (data->>'chatId' = ${chatJid}
        or (type = 'message' and data->>'chatId' like '%@g.us' and data->>'from' = ${chatJid}
          and data->>'fromMe' = 'false')
        or (type in ('poll_vote', 'reaction') and data->>'chatId' like '%@g.us' and data->>'from' = ${chatJid})
        or (type = 'message_edit' and data->>'chatId' like '%@g.us' and exists (
          select 1 from "Messages" m where m."Session_Id"::text = webhook_events.session_id
            and m."Wa_Message_Id" = webhook_events.data->>'id' and m."Sender" = ${chatJid} and not m."From_Me")))`.execute(
    db,
  );
  // The changes of groups' members name the others still.
  await sql`update webhook_events
    set data = jsonb_set(data, '{participants}', coalesce((select jsonb_agg(member order by position)
      from jsonb_array_elements(data->'participants') with ordinality as members(member, position)
      where member #>> '{}' <> ${chatJid}), '[]'::jsonb))
    where company_id = ${companyId} and session_id = any(${sessions}::text[])
      and type = 'group_update' and data->'participants' ? ${chatJid}`.execute(db);
}
