import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { historyWriter, writeRealisticHistory } from '../../test-support/realistic-history.js';
import { textOnlyOutbox } from '../../test-support/text-outbox.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { allProjectors } from '../projections/all-projectors.js';
import { inlineProjection } from '../projections/inline-projection.js';
import { pendingSends } from '../projections/messages/pending-sends.js';

const customer = '5511988887777@c.us';

/** A session restored in this process after its process died, with sends that waited for it. */
describe('the sends a session left pending, when it connects in another process', () => {
  let testDb: MigratedTestDatabase;
  let store: EventStore;
  let sessionId: string;
  const requested: string[] = [];

  beforeAll(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'takeover');
    const project = inlineProjection(allProjectors);
    store = createPostgresEventStore(testDb.database, {
      hooks: { withinTransaction: (trx, events) => project(readModelDb(trx), events) },
    });
    sessionId = await writeRealisticHistory(store, 'acme');
    const { chat } = historyWriter(store);
    for (const body of ['Seu pedido saiu', 'Chega amanhã']) {
      const messageId = randomUUID();
      requested.push(messageId);
      await chat('acme', sessionId, customer, {
        type: 'RequestMessageSend',
        messageId,
        from: '5511900000000@c.us',
        body,
        media: null,
        idempotencyKey: null,
        requestHash: null,
        sessionConnected: true,
      });
    }
  });
  afterAll(async () => {
    await store?.close();
    await testDb?.dispose();
  });

  it('are sent at once and once each, however many times they are taken up together', async () => {
    const { outbox, sent, close } = textOnlyOutbox(store, (id) => id === sessionId);
    try {
      const pending = await pendingSends(readModelDb(testDb.database.db), sessionId);
      expect(pending.map((send) => send.messageId)).toEqual(expect.arrayContaining(requested));
      // No work queue here: only the take-up can send them.
      await Promise.all([outbox.takeUpConnected(pending), outbox.takeUpConnected(pending)]);
      await eventually(
        async () => (await pendingSends(readModelDb(testDb.database.db), sessionId)).length === 0,
      );
      await outbox.takeUpConnected(pending);
      // (The history's other pending request is not a text, which this driver cannot send.)
      expect(sent.sort()).toEqual(['Chega amanhã', 'Seu pedido saiu']);
    } finally {
      await close();
    }
  });
});
