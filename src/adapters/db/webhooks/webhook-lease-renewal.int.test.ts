import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import { generateWebhookSecret } from '../../../domain/webhooks/webhook-signature.js';
import type { RecordedEvent } from '../../event-store/port.js';
import { readModelDb } from '../read-model-db.js';
import { createSecretBox } from './secret-box.js';
import { createWebhookDeliveries } from './webhook-deliveries.js';
import { webhookFanOut } from './webhook-fan-out.js';
import { createWebhookRegistry } from './webhook-registry.js';

describe('renewing the lease on claimed webhook deliveries (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  const box = createSecretBox('test key material that is long enough');
  const db = () => readModelDb(database.database.db);

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_lease_renewal');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('renews the rows nobody holds and never waits for one whose outcome is being recorded', async () => {
    const webhook = await createWebhookRegistry(db(), box).create({
      id: randomUUID(),
      companyId: 'acme',
      sessionId: null,
      url: 'http://127.0.0.1:9/hook',
      events: ['message'],
      secret: generateWebhookSecret(),
    });
    const events: RecordedEvent[] = ['first', 'second'].map((body, index) => ({
      id: randomUUID(),
      type: 'MessageReceived',
      streamName: 'chat-s1_1@c.us',
      revision: BigInt(index),
      position: BigInt(index + 1),
      checkpoint: `0:${index + 1}`,
      data: { body },
      metadata: { companyId: 'acme', sessionId: 's1' },
      recordedAt: new Date(),
    }));
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    await database.database.db.transaction().execute((trx) => fanOut(readModelDb(trx), events));
    const deliveries = createWebhookDeliveries(db(), box);
    const claim = await deliveries.claim(webhook.id, 'me', 10, 1_000);
    const [held, free] = claim!.deliveries.map((delivery) => delivery.id);
    const leaseOf = async (seq: string) =>
      (
        await sql<{ until: Date }>`select claimed_until as until from webhook_deliveries
          where webhook_id = ${webhook.id} and seq = ${seq}`.execute(db())
      ).rows[0]!.until.getTime();
    const heldLease = await leaseOf(held!);
    const freeLease = await leaseOf(free!);

    // Another transaction holds the first row, as the batched outcomes do while they are written.
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from webhook_deliveries where webhook_id = $1 and seq = $2 for update', [
        webhook.id,
        held,
      ]);
      const renewal = deliveries.renew(webhook.id, [held!, free!], 'me', 60_000).then(() => 'renewed');
      const waited = new Promise((resolve) => setTimeout(() => resolve('waited'), 3_000));
      expect(await Promise.race([renewal, waited])).toBe('renewed');
      await other.query('commit');
    } finally {
      await other.end();
    }
    expect(await leaseOf(free!)).toBeGreaterThan(freeLease + 30_000);
    expect(await leaseOf(held!)).toBe(heldLease);
  });
});
