import { createTestWebhookWorker } from '../../../test-support/webhook-test-worker.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.js';
import { readModelDb } from '../../adapters/db/read-model-db.js';
import { createSecretBox } from '../../adapters/db/webhooks/secret-box.js';
import {
  createWebhookDeliveries,
  type WebhookDeliveries,
} from '../../adapters/db/webhooks/webhook-deliveries.js';
import { webhookFanOut, type WebhookFanOut } from '../../adapters/db/webhooks/webhook-fan-out.js';
import { createWebhookRegistry } from '../../adapters/db/webhooks/webhook-registry.js';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import { generateWebhookSecret } from '../../domain/webhooks/webhook-signature.js';
import type { WebhookWorker } from './webhook-worker.js';

describe('first attempts sent from the commit that queued them (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  let receiver: WebhookReceiver;
  const workers: WebhookWorker[] = [];
  const box = createSecretBox('test key material that is long enough');
  let position = 0n;

  const db = () => readModelDb(database.database.db);
  const registry = () => createWebhookRegistry(db(), box);

  /** Deliveries whose claims are counted: what a lane had to claim was not sent from memory. */
  function countingDeliveries(): { queue: WebhookDeliveries; claimed: () => number } {
    const real = createWebhookDeliveries(db(), box);
    let claimed = 0;
    return {
      queue: {
        ...real,
        claim: async (...args) => {
          const claim = await real.claim(...args);
          claimed += claim?.deliveries.length ?? 0;
          return claim;
        },
      },
      claimed: () => claimed,
    };
  }

  function messages(companyId: string, sessionId: string, texts: string[]): RecordedEvent[] {
    return texts.map((body) => {
      position += 1n;
      return {
        id: randomUUID(),
        type: 'MessageReceived',
        streamName: `chat-${sessionId}_1@c.us`,
        revision: position,
        position,
        checkpoint: `0:${position}`,
        data: { body },
        metadata: { companyId, sessionId },
        recordedAt: new Date(),
      };
    });
  }

  /** Stores events as the event store's transaction does, then tells the fan-out they committed. */
  async function commit(fanOut: WebhookFanOut, events: RecordedEvent[], claim = true): Promise<void> {
    await database.database.db.transaction().execute((trx) => fanOut(readModelDb(trx), events, { claim }));
    fanOut.firstAttempts.committed(events);
  }

  function startWorker(owner: string, queue: WebhookDeliveries, fanOut?: WebhookFanOut): WebhookWorker {
    const worker = createTestWebhookWorker({
      owner,
      queue,
      enabledWebhooks: () => registry().enabled(),
      box,
      ...(fanOut ? { fanOut } : {}),
    });
    workers.push(worker);
    return worker;
  }

  async function webhookFor(companyId: string, path: string) {
    return registry().create({
      id: randomUUID(),
      companyId,
      sessionId: null,
      url: receiver.url(path),
      events: ['message'],
      secret: generateWebhookSecret(),
    });
  }

  const bodies = (path: string) =>
    receiver.at(path).map((request) => (JSON.parse(request.body) as { data: { body: string } }).data.body);

  const claimedBy = async (webhookId: string) =>
    (
      await sql<{ claimed_by: string | null }>`select claimed_by from webhook_deliveries
        where webhook_id = ${webhookId} order by seq`.execute(db())
    ).rows.map((row) => row.claimed_by);

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_first_attempts');
    receiver = await startWebhookReceiver();
  });
  const stopWorkers = () => Promise.all(workers.splice(0).map((worker) => worker.stop()));

  afterAll(async () => {
    await stopWorkers();
    await receiver?.close();
    await database?.dispose();
  });

  it('sends what its own commits queued without claiming it, each session in order', async () => {
    const webhook = await webhookFor('fast', '/fast');
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    const { queue, claimed } = countingDeliveries();
    await startWorker('process-a', queue, fanOut).start();
    const texts = Array.from({ length: 40 }, (_, i) => `fast-${i}`);
    for (let i = 0; i < texts.length; i += 8)
      await commit(fanOut, messages('fast', 's1', texts.slice(i, i + 8)));

    await eventually(() => receiver.at('/fast').length === texts.length);
    expect(bodies('/fast')).toEqual(texts);
    await eventually(
      async () => (await queue.log(webhook.id, { status: 'delivered', limit: 100 })).length === 40,
    );
    expect(claimed()).toBe(0);
  });

  it('stops a session at a retry: what follows is sent after the retry, in order', async () => {
    receiver.answer('/flaky', (n) => (n === 1 ? 'fail' : 'ok'));
    const webhook = await webhookFor('flaky', '/flaky');
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    const { queue } = countingDeliveries();
    await startWorker('process-b', queue, fanOut).start();
    const texts = Array.from({ length: 12 }, (_, i) => `flaky-${i}`);
    for (const text of texts) await commit(fanOut, messages('flaky', 's2', [text]));

    await eventually(
      async () => (await queue.log(webhook.id, { status: 'delivered', limit: 100 })).length === 12,
    );
    const firstOfEach = bodies('/flaky').filter((body, index, all) => all.indexOf(body) === index);
    expect(firstOfEach).toEqual(texts);
    expect(bodies('/flaky')[0]).toBe('flaky-0');
    expect(bodies('/flaky')[1]).toBe('flaky-0');
  });

  it('leaves deliveries claimed by a process that died to a lane once their lease ends', async () => {
    await stopWorkers();
    const webhook = await webhookFor('orphan', '/orphan');
    const dead = webhookFanOut((event) => ({ type: 'message', data: event.data }), {
      retryHours: 1,
      leaseMs: 300,
    });
    dead.firstAttempts.take(() => undefined);
    await commit(dead, messages('orphan', 's3', ['orphan-0', 'orphan-1']));
    expect(await claimedBy(webhook.id)).toEqual([dead.firstAttempts.owner, dead.firstAttempts.owner]);

    const { queue, claimed } = countingDeliveries();
    await startWorker('process-c', queue).start();
    await eventually(() => receiver.at('/orphan').length === 2);
    expect(bodies('/orphan')).toEqual(['orphan-0', 'orphan-1']);
    expect(claimed()).toBe(2);
  });

  it('does not claim at birth a delivery whose session has one pending that another process may send', async () => {
    await stopWorkers();
    const webhook = await webhookFor('shared', '/shared');
    const elsewhere = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    await commit(elsewhere, messages('shared', 's4', ['shared-0']), false);
    const here = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    here.firstAttempts.take(() => undefined);
    await commit(here, messages('shared', 's4', ['shared-1']));
    await commit(here, messages('shared', 's5', ['other-session']));
    expect(await claimedBy(webhook.id)).toEqual([null, null, here.firstAttempts.owner]);
  });
});
