import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { readModelDb } from '../src/adapters/db/read-model-db.js';
import { webhookFanOut } from '../src/adapters/db/webhooks/webhook-fan-out.js';
import type { EventStore } from '../src/adapters/event-store/port.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { openPrivacy, type Privacy } from '../src/adapters/privacy/open-privacy.js';
import { webhookFrameOf } from '../src/api/webhook-frame-data.js';
import { createPostgresBlobStore } from '../src/adapters/db/postgres-blob-store.js';
import { eraseContact } from '../src/app/privacy/erase-contact.js';
import { allProjectors } from '../src/projections/all-projectors.js';
import { inlineProjection } from '../src/projections/inline-projection.js';
import { dumpReadModels } from './dump-read-models.js';
import { writeRealisticHistory } from './realistic-history.js';
import { equipe, joao, joaoJid, writeJoaoExtras } from './joao-history.js';
import { openMigratedTestDatabase, type DatabaseKind, type MigratedTestDatabase } from './test-databases.js';

export * from './joao-history.js';

/**
 * A migrated database of `kind` whose sealing store projects inline and queues webhook payloads (acme has a
 * webhook that wants messages), holding realistic-history.ts for acme and globex, plus João's messages by his
 * linked-device ids (one mapped to him, one not yet), his message in the group (then edited), his vote in Maria's
 * poll there and his reaction to it (Maria reacts too), the name his contact list gives him, a call of his (and
 * one of Maria's), and two sends to him still waiting in the outbox.
 */
export async function openErasureTestBed(kind: DatabaseKind) {
  const testDb: MigratedTestDatabase = await openMigratedTestDatabase(kind, 'erasure');
  const privacy: Privacy = await openPrivacy(testDb.database, undefined);
  const project = inlineProjection(allProjectors);
  const fanOut = webhookFanOut(webhookFrameOf, { retryHours: 1 });
  // A webhook of acme that wants messages, edits, votes, reactions and changes of groups' members: their payloads
  // are kept, in clear, for deliveries.
  await sql`insert into webhooks (id, company_id, url, events, secret_ciphertext)
    values (${randomUUID()}, 'acme', 'https://example.com/hook',
      ${['message', 'message_edit', 'poll_vote', 'reaction', 'group_update']}::text[], 'x')`.execute(
    testDb.database.db,
  );
  const store: EventStore = privacy.sealing.wrap(
    createPostgresEventStore(testDb.database, {
      hooks: privacy.sealing.hooks({
        withinTransaction: async (trx, events) => {
          await project(readModelDb(trx), events);
          await fanOut(readModelDb(trx), events);
        },
      }),
    }),
  );
  const acmeSession = await writeRealisticHistory(store, 'acme');
  await writeRealisticHistory(store, 'globex');
  const pending = await writeJoaoExtras(store, acmeSession);
  const db = () => readModelDb(testDb.database.db);

  return {
    testDb,
    privacy,
    store,
    acmeSession,
    /** Sends to João requested before the erasure and still waiting in the outbox when it comes. */
    pending,
    db,
    /** Erases João in acme, as an ADMIN's `DELETE /privacy/contacts/:phone` does. */
    eraseJoao: () =>
      eraseContact({
        db: testDb.database.db,
        store,
        blobs: createPostgresBlobStore(testDb.database.db),
        ...privacy,
      })({
        companyId: 'acme',
        phone: joao,
        actor: { type: 'user', id: 'admin-1' },
        correlationId: randomUUID(),
      }),
    /** The data of the events of one stream, as the table keeps it. */
    rawEventsOf: async (streamName: string) =>
      (
        await sql<{ data: string }>`select data::text as data from events
          where stream_name = ${streamName}`.execute(testDb.database.db)
      ).rows
        .map((row) => row.data)
        .join('\n'),
    /** The data of every stored event, as the table keeps it. */
    rawEvents: async () =>
      (await sql<{ data: string }>`select data::text as data from events`.execute(testDb.database.db)).rows
        .map((row) => row.data)
        .join('\n'),
    /** The Messages rows of João's one-to-one chat in a company, as JSON. */
    rowsOfChat: async (companyId: string) =>
      JSON.stringify(
        (
          await sql`select * from "Messages" where "Company_Id" = ${companyId} and "Chat_Id" = ${joaoJid}`.execute(
            db(),
          )
        ).rows,
      ),
    /** A few columns of every Messages row of a session's chat. */
    messagesOfChat: async <Row>(sessionId: string, chatJid: string, columns: readonly string[]) =>
      (
        await sql<Row>`select ${sql.join(columns.map((column) => sql.ref(column)))} from "Messages"
          where "Session_Id" = ${sessionId} and "Chat_Id" = ${chatJid} order by 1`.execute(db())
      ).rows,
    /** The session log lines of one event type in acme, in order of their text. */
    /** The members of acme's group `equipe` in the session João wrote to, as its Groups row holds them. */
    groupMembers: async () =>
      (
        await sql<{ Participants: { jid: string; isAdmin: boolean }[] }>`select "Participants" from "Groups"
          where "Session_Id" = ${acmeSession} and "Group_Id" = ${equipe}`.execute(db())
      ).rows[0]?.Participants,
    logLinesOf: async (eventType: string) =>
      (
        await sql<{ Message: string }>`select "Message" from "Session_Logs"
          where "Company_Id" = 'acme' and "Event_Type" = ${eventType} order by "Message"`.execute(db())
      ).rows.map((row) => row.Message),
    /** What changes waiting for their message keep, as JSON. */
    earlyChanges: async () =>
      JSON.stringify((await sql`select "Data" from "Early_Message_Changes"`.execute(db())).rows),
    /** Every kept webhook payload, as JSON. */
    /** The participants of the kept payloads of changes of groups' members. */
    groupUpdatePayloads: async () =>
      (
        await sql<{ participants: string[] }>`select data->'participants' as participants from webhook_events
          where type = 'group_update' order by seq`.execute(db())
      ).rows.map((row) => row.participants),
    webhookPayloads: async () =>
      (await sql<{ data: string }>`select data::text as data from webhook_events`.execute(db())).rows
        .map((row) => row.data)
        .join('\n'),
    /** Every read model's rows of one company. */
    readModelsOf: async (companyId: string) =>
      Object.fromEntries(
        Object.entries(await dumpReadModels(db())).map(([table, rows]) => [
          table,
          rows.filter((row) => (row as { Company_Id?: string }).Company_Id === companyId),
        ]),
      ),
    async dispose() {
      await privacy.close();
      await store.close();
      await testDb.dispose();
    },
  };
}

export type ErasureTestBed = Awaited<ReturnType<typeof openErasureTestBed>>;
