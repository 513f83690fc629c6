import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import { generateWebhookSecret } from '../../../domain/webhooks/webhook-signature.js';
import type { RecordedEvent } from '../../event-store/port.js';
import { readModelDb } from '../read-model-db.js';
import { createSecretBox } from './secret-box.js';
import { webhookFanOut, type WebhookFanOut } from './webhook-fan-out.js';
import { createWebhookRegistry } from './webhook-registry.js';

describe('a delivery queued already claimed for its first attempt (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  const box = createSecretBox('test key material that is long enough');
  const db = () => readModelDb(database.database.db);
  let position = 0n;

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_born_claimed');
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function queue(fanOut: WebhookFanOut, body: string): Promise<void> {
    position += 1n;
    const event: RecordedEvent = {
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
    await database.database.db
      .transaction()
      .execute((trx) => fanOut(readModelDb(trx), [event], { claim: true }));
  }

  const claimants = async (webhookId: string) =>
    (
      await sql<{ claimed_by: string | null }>`select claimed_by from webhook_deliveries
        where webhook_id = ${webhookId} order by seq`.execute(db())
    ).rows.map((row) => row.claimed_by);

  // Another claimant's name sorts before or after this process's: both must hold the session back.
  for (const other of ['a-lane-of-another-process', 'zz-lane-of-another-process'])
    it(`is queued for the lanes while the session has one pending held by ${other}`, async () => {
      const webhook = await createWebhookRegistry(db(), box).create({
        id: randomUUID(),
        companyId: 'acme',
        sessionId: null,
        url: 'http://127.0.0.1:9/hook',
        events: ['message'],
        secret: generateWebhookSecret(),
      });
      const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
      fanOut.firstAttempts.take(() => undefined);
      const own = fanOut.firstAttempts.owner;
      expect(other < own !== other.startsWith('zz')).toBe(true);

      await queue(fanOut, 'first');
      await queue(fanOut, 'second');
      expect(await claimants(webhook.id)).toEqual([own, own]);

      await sql`update webhook_deliveries set claimed_by = ${other}
        where webhook_id = ${webhook.id} and seq = (select min(seq) from webhook_deliveries
          where webhook_id = ${webhook.id})`.execute(db());
      await queue(fanOut, 'third');
      expect(await claimants(webhook.id)).toEqual([other, own, null]);
    });
});
