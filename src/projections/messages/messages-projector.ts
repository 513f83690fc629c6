import { sql, type Insertable, type Selectable } from 'kysely';
import type { MessagesTable } from '../../adapters/db/read-model-schema.js';
import { inChunks, inRounds } from '../in-rounds.js';
import { messagesColumns } from '../read-model-columns.js';
import { columnsOf, unnestRows } from '../unnest-rows.js';
import { MessageAck } from '../../domain/chat/message-ack.js';
import type { ProjectedEvent } from '../projected-event.js';
import type { Projector, ReadModelWriter } from '../projector.js';
import { applyChange, applyEarlyChanges } from './message-changes.js';
import { recordActionFailure, recordActionRequest, recordActionSent } from './message-actions.js';
import { receivedRow, sendRequestedRow } from './message-rows.js';

type Of<T extends ProjectedEvent['type']> = Extract<ProjectedEvent, { type: T }>;

/** One row per message, incoming and outgoing, with its delivery status. */
export const messagesProjector: Projector = {
  name: 'messages',
  tables: ['Messages', 'Message_Actions', 'Early_Message_Changes'],

  // One statement per kind of write per round; a message with several events in the batch gets one per round.
  async project(db, events) {
    for (const round of inRounds(events.filter(touchesMessages), messageKeys)) {
      await insertMessages(
        db,
        round.flatMap((event) =>
          event.type === 'MessageReceived'
            ? [receivedRow(event)]
            : event.type === 'MessageSendRequested' && !event.data.action
              ? [sendRequestedRow(event)]
              : [],
        ),
      );
      await applyEarlyChanges(
        db,
        round.flatMap((event) =>
          event.type === 'MessageReceived'
            ? [{ sessionId: event.metadata.sessionId, waMessageId: event.data.waMessageId }]
            : [],
        ),
      );
      await updateAcks(
        db,
        round.flatMap((event) => (event.type === 'MessageAckChanged' ? [event] : [])),
      );
      for (const event of round)
        if (!batchedTypes.has(event.type)) await applyOther(db, event);
        else if (event.type === 'MessageSendRequested' && event.data.action)
          await recordActionRequest(db, event);
    }
  },
};

/** The writes that are not batched: one statement each. */
async function applyOther(db: ReadModelWriter, event: ProjectedEvent): Promise<void> {
  switch (event.type) {
    case 'MessageReceived':
      await insertMessages(db, [receivedRow(event)]);
      return applyEarlyChanges(db, [
        { sessionId: event.metadata.sessionId, waMessageId: event.data.waMessageId },
      ]);
    case 'MessageSendRequested':
      return event.data.action
        ? recordActionRequest(db, event)
        : insertMessages(db, [sendRequestedRow(event)]);
    case 'MessageSent':
      if (event.data.action) return recordActionSent(db, event);
      await sent(db, event);
      return applyEarlyChanges(db, [
        { sessionId: event.metadata.sessionId, waMessageId: event.data.waMessageId },
      ]);
    case 'MessageSendFailed': {
      await recordActionFailure(db, event);
      const { messageId, reason, attempt, final } = event.data;
      const failure = final ? reason : `${reason} (attempt ${attempt}, will retry)`;
      await guarded(db, event)
        .set({ Failure_Reason: failure, ...(final ? { Status: MessageAck.ERROR } : {}) })
        .where('Id', '=', messageId)
        .execute();
      return;
    }
    case 'MessageAckChanged': {
      const { waMessageId, ack } = event.data;
      await guardedMessage(db, event, waMessageId)
        .set({ Status: ack })
        .where((eb) =>
          ack === MessageAck.ERROR ? eb('Status', '=', MessageAck.PENDING) : eb('Status', '<', ack),
        )
        .execute();
      return;
    }
    case 'MediaDownloaded': {
      const { waMessageId, sha256, size, mimetype } = event.data;
      await guardedMessage(db, event, waMessageId)
        .set({ Media_Sha256: sha256, Media_Size: size, Media_Mimetype: mimetype, Media_Download_Error: null })
        .execute();
      return;
    }
    case 'MediaDownloadFailed':
      await guardedMessage(db, event, event.data.waMessageId)
        .set({ Media_Sha256: null, Media_Download_Error: event.data.reason })
        .execute();
      return;
    case 'MediaDeleted':
      await guardedMessage(db, event, event.data.waMessageId)
        .set({ Media_Sha256: null, Media_Download_Error: event.data.reason })
        .execute();
      return;
    case 'MessageEdited':
    case 'MessageReacted':
    case 'PollVoted':
    case 'MessageRevoked':
      return applyChange(db, event);
    default:
      return;
  }
}

async function insertMessages(
  db: ReadModelWriter,
  rows: readonly Insertable<MessagesTable>[],
): Promise<void> {
  for (const chunk of inChunks(rows, 5000)) {
    // Already there: the same event applied again, or the echo of a message the gateway sent itself.
    await db
      .insertInto('Messages')
      .columns(columnsOf(messagesColumns))
      .expression(unnestRows(chunk, messagesColumns))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

async function sent(db: ReadModelWriter, event: Of<'MessageSent'>): Promise<void> {
  const { messageId, waMessageId, ack, timestamp } = event.data;
  // WhatsApp may echo a sent message back (as received, from me) before the send call returns: fold that row
  // into the gateway's own, keeping the furthest status either reached.
  const echo = await db
    .deleteFrom('Messages')
    .where('Session_Id', '=', event.metadata.sessionId)
    .where('Wa_Message_Id', '=', waMessageId)
    .where('Id', '!=', messageId)
    .returning(['Status', ...echoChangeColumns])
    .executeTakeFirst();
  const status = Math.max(ack, echo?.Status ?? 0);
  await guarded(db, event)
    .set({
      Wa_Message_Id: waMessageId,
      Wa_Timestamp: timestamp,
      Failure_Reason: null,
      Status: sql<number>`greatest("Status", ${status})`,
      ...(echo ? echoChanges(echo) : {}),
    })
    .where('Id', '=', messageId)
    .execute();
}

/** What changes (reactions, an edit, votes, a deletion) may have reached an echo row before it merged. */
const echoChangeColumns = ['Body', 'Edited_At', 'Reactions', 'Poll_Votes', 'Is_Revoked'] as const;

/**
 * The changes the echo row carries, for the gateway's row it merges into: they reached the echo, directly or as
 * early changes applied when it arrived, and would be lost with it. Until the merge the gateway's row had no
 * WhatsApp id, so no change could reach it.
 */
function echoChanges(echo: Pick<Selectable<MessagesTable>, (typeof echoChangeColumns)[number]>) {
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  return {
    ...(echo.Edited_At !== null ? { Body: echo.Body, Edited_At: echo.Edited_At } : {}),
    ...(echo.Reactions !== null ? { Reactions: json(echo.Reactions) } : {}),
    ...(echo.Poll_Votes !== null ? { Poll_Votes: json(echo.Poll_Votes) } : {}),
    ...(echo.Is_Revoked ? { Is_Revoked: true } : {}),
  };
}

/** An update that applies only once: to rows this stream has not yet brought past the event's revision. */
function guarded(db: ReadModelWriter, event: ProjectedEvent) {
  return db
    .updateTable('Messages')
    .set({ Last_Revision: event.revision.toString() })
    .where('Last_Revision', '<', event.revision.toString());
}

/** The same, for the message WhatsApp knows by `waMessageId` in the event's session. */
function guardedMessage(db: ReadModelWriter, event: ProjectedEvent, waMessageId: string) {
  return guarded(db, event)
    .where('Session_Id', '=', event.metadata.sessionId)
    .where('Wa_Message_Id', '=', waMessageId);
}

const batchedTypes = new Set(['MessageReceived', 'MessageSendRequested', 'MessageAckChanged']);

function touchesMessages(event: ProjectedEvent): boolean {
  return messageKeys(event).length > 0;
}

/** The rows an event may touch: by the gateway's message id and by (session, WhatsApp id). */
function messageKeys(event: ProjectedEvent): string[] {
  const wa = (waMessageId: string) => `wa:${event.metadata.sessionId}|${waMessageId}`;
  switch (event.type) {
    case 'MessageReceived':
      return [`id:${event.id}`, wa(event.data.waMessageId)];
    case 'MessageSendRequested':
    case 'MessageSendFailed':
      return [`id:${event.data.messageId}`];
    case 'MessageSent':
      return [`id:${event.data.messageId}`, wa(event.data.waMessageId)];
    case 'MessageAckChanged':
    case 'MessageRevoked':
    case 'MessageEdited':
    case 'MessageReacted':
    case 'PollVoted':
    case 'MediaDownloaded':
    case 'MediaDownloadFailed':
    case 'MediaDeleted':
      return [wa(event.data.waMessageId)];
    default:
      return [];
  }
}

/** Acks of distinct messages, each guarded as in `apply`. */
async function updateAcks(db: ReadModelWriter, acks: readonly Of<'MessageAckChanged'>[]): Promise<void> {
  for (const chunk of inChunks(acks, 1000)) {
    const sessions = chunk.map((event) => event.metadata.sessionId);
    const waIds = chunk.map((event) => event.data.waMessageId);
    const statuses = chunk.map((event) => event.data.ack);
    const revisions = chunk.map((event) => event.revision.toString());
    await db
      .updateTable('Messages')
      .from(
        sql<{
          session_id: string;
          wa_message_id: string;
          status: number;
          revision: string;
        }>`(select unnest(${sessions}::uuid[]) as session_id, unnest(${waIds}::text[]) as wa_message_id, unnest(${statuses}::smallint[]) as status, unnest(${revisions}::bigint[]) as revision)`.as(
          'ack',
        ),
      )
      .set({ Status: sql`ack.status`, Last_Revision: sql`ack.revision` })
      .where(sql<boolean>`"Messages"."Session_Id" = ack.session_id`)
      // Spelled out so that the partial unique index on (Session_Id, Wa_Message_Id) can serve the join.
      .where('Messages.Wa_Message_Id', 'is not', null)
      .where(sql<boolean>`"Messages"."Wa_Message_Id" = ack.wa_message_id`)
      .where(sql<boolean>`"Messages"."Last_Revision" < ack.revision`)
      .where(
        sql<boolean>`case when ack.status = ${MessageAck.ERROR} then "Messages"."Status" = ${MessageAck.PENDING} else "Messages"."Status" < ack.status end`,
      )
      .execute();
  }
}
