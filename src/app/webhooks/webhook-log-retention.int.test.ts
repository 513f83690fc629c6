import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { createSecretBox } from '../../adapters/db/webhooks/secret-box.js';
import { createWebhookDeliveries } from '../../adapters/db/webhooks/webhook-deliveries.js';
import { webhookFanOut } from '../../adapters/db/webhooks/webhook-fan-out.js';
import { createWebhookLogPruning } from '../../adapters/db/webhooks/webhook-log-pruning.js';
import { createWebhookRegistry } from '../../adapters/db/webhooks/webhook-registry.js';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import { generateWebhookSecret } from '../../domain/webhooks/webhook-signature.js';
import { silentLogger } from '../../logger.js';
import { createWebhookLogRetention } from './webhook-log-retention.js';

describe('webhook delivery log retention (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  const box = createSecretBox('test key material that is long enough');
  const db = () => readModelDb(database.database.db);
  let position = 0n;

  /** Stores message events of one session, each with the text given, and answers their positions. */
  async function store(texts: string[]): Promise<string[]> {
    const events: RecordedEvent[] = texts.map((body) => {
      position += 1n;
      return {
        id: randomUUID(),
        type: 'MessageReceived',
        streamName: 'chat-s1_1@c.us',
        revision: position,
        position,
        checkpoint: `0:${position}`,
        data: { body },
        metadata: { companyId: 'acme', sessionId: 's1' },
        recordedAt: new Date(),
      };
    });
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    await database.database.db.transaction().execute((trx) => fanOut(readModelDb(trx), events));
    return events.map((event) => event.position.toString());
  }

  /** Moves a delivery (and its event) `days` into the past. */
  async function age(seq: string, days: number): Promise<void> {
    const interval = sql`make_interval(days => ${days})`;
    await sql`update webhook_deliveries set settled_at = settled_at - ${interval}, created_at = created_at - ${interval}
      where seq = ${seq}`.execute(db());
    await sql`update webhook_events set occurred_at = occurred_at - ${interval} where seq = ${seq}`.execute(
      db(),
    );
  }

  const remaining = async () =>
    (
      await sql<{
        seq: string;
        status: string;
      }>`select seq::text, status from webhook_deliveries order by seq`.execute(db())
    ).rows;
  const bodies = async () =>
    (await sql<{ seq: string }>`select seq::text from webhook_events order by seq`.execute(db())).rows.map(
      (row) => row.seq,
    );

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_retention');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('deletes settled deliveries past the retention, batch by batch, and never a pending one or its body', async () => {
    const webhook = await createWebhookRegistry(db(), box).create({
      id: randomUUID(),
      companyId: 'acme',
      sessionId: null,
      url: 'http://127.0.0.1:9/hook',
      events: ['message'],
      secret: generateWebhookSecret(),
    });
    const [oldDelivered, oldFailed, oldPending, recentDelivered, olderDelivered] = await store([
      'old delivered',
      'old failed',
      'old pending',
      'recent delivered',
      'older delivered',
    ]);
    const deliveries = createWebhookDeliveries(db(), box);
    const claim = await deliveries.claim(webhook.id, 'me', 10, 60_000);
    expect(claim?.deliveries.map((delivery) => delivery.id)).toEqual([
      oldDelivered,
      oldFailed,
      oldPending,
      recentDelivered,
      olderDelivered,
    ]);
    await deliveries.record(
      webhook.id,
      [
        { id: oldDelivered!, kind: 'delivered', statusCode: 204 },
        { id: oldFailed!, kind: 'fail', statusCode: null, error: 'private address' },
        { id: oldPending!, kind: 'retry', statusCode: 503, error: 'HTTP 503', delayMs: 1000 },
        { id: recentDelivered!, kind: 'delivered', statusCode: 200 },
        { id: olderDelivered!, kind: 'delivered', statusCode: 200 },
      ],
      'me',
    );
    await age(oldDelivered!, 31);
    await age(oldFailed!, 40);
    await age(oldPending!, 45);
    await age(recentDelivered!, 29);
    await age(olderDelivered!, 60);

    const retention = createWebhookLogRetention({
      pruning: createWebhookLogPruning(db()),
      retentionDays: 30,
      intervalMs: 3_600_000,
      batchSize: 2,
      pauseMs: 1,
      logger: silentLogger,
    });
    await retention.start();
    await eventually(async () => (await remaining()).length === 2 && (await bodies()).length === 2);
    await retention.stop();

    expect(await remaining()).toEqual([
      { seq: oldPending, status: 'pending' },
      { seq: recentDelivered, status: 'delivered' },
    ]);
    expect(await bodies()).toEqual([oldPending, recentDelivered]);
    expect(await retention.pruneOnce()).toEqual({ deliveries: 0, bodies: 0 });
  });
});
