import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { EventStore, ReadAllOptions, ReadStreamOptions, RecordedEvent, Subscription } from '../port.js';
import type { AppendHooks } from './append-hooks.js';
import { createGroupCommit } from './group-commit.js';
import { createGroupRead } from './group-read.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-rows.js';
import { compareCheckpoints, decodeCheckpoint, encodeCheckpoint } from './postgres-checkpoint.js';
import { startPollingSubscription } from './polling-subscription.js';
import { readSettledPage } from './read-settled-page.js';

export interface PostgresEventStoreOptions {
  /** How often a subscriber looks for events when no notification woke it. */
  pollIntervalMs?: number;
  /** Told of each failed read a subscriber will retry (the database restarting, a dropped connection). */
  onTransientError?: (error: unknown) => void;
  /** Work done in each append's transaction (inline projections) and after its commit (hand-over). */
  hooks?: AppendHooks;
}

const defaultPageSize = 1000;

/**
 * The event store on PostgreSQL (a server or PGlite). Run the migrations first.
 *
 * @example
 * const store = createPostgresEventStore(await openDatabase(config));
 * await store.append('session-42', [{ id, type: 'SessionRegistered', data, metadata }], 'no_stream');
 */
export function createPostgresEventStore(
  database: Database,
  options: PostgresEventStoreOptions = {},
): EventStore {
  const { db } = database;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const onTransientError = options.onTransientError ?? (() => undefined);
  const subscriptions = new Set<Subscription>();
  const readTogether = createGroupRead(db);

  return {
    append: createGroupCommit(db, options.hooks ? { hooks: options.hooks } : {}),

    async readStream(streamName, { direction = 'forwards', fromRevision, maxCount }: ReadStreamOptions = {}) {
      const forwards = direction === 'forwards';
      if (forwards && maxCount === undefined) return readTogether(streamName, fromRevision);
      const from =
        fromRevision === undefined
          ? sql``
          : sql`and stream_revision ${sql.raw(forwards ? '>=' : '<=')} ${fromRevision.toString()}::bigint`;
      const limit = maxCount === undefined ? sql`` : sql`limit ${maxCount}`;
      const result = await sql<EventRow>`
        -- Qualified: a bare stream_revision would name the text column of the select list.
        select ${sql.raw(eventColumns)} from events
        where stream_name = ${streamName} ${from}
        order by events.stream_revision ${sql.raw(forwards ? 'asc' : 'desc')} ${limit}`.execute(db);
      return result.rows.map(toRecordedEvent);
    },

    async readAll({ from, maxCount = defaultPageSize }: ReadAllOptions = {}): Promise<RecordedEvent[]> {
      const page = await readSettledPage(db, decodeCheckpoint(from), maxCount);
      return page.events;
    },

    async headCheckpoint(streamPrefixes) {
      const matching = sql.join(
        streamPrefixes.map((prefix) => sql`starts_with(stream_name, ${prefix})`),
        sql` or `,
      );
      const { rows } = await sql<{ transaction_id: string; position: string }>`
        select transaction_id::text as transaction_id, position::text as position from events
        where ${streamPrefixes.length ? matching : sql`true`}
        order by events.transaction_id desc, events.position desc limit 1`.execute(db);
      const head = rows[0];
      return head
        ? encodeCheckpoint({ transactionId: BigInt(head.transaction_id), position: BigInt(head.position) })
        : null;
    },

    compareCheckpoints,

    subscribe(subscribeOptions) {
      const subscription = startPollingSubscription(
        database,
        subscribeOptions,
        pollIntervalMs,
        onTransientError,
      );
      subscriptions.add(subscription);
      void subscription.done.finally(() => subscriptions.delete(subscription)).catch(() => undefined);
      return subscription;
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
    },
  };
}
