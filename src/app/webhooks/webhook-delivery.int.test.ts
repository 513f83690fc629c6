import { createTestWebhookWorker } from '../../../test-support/webhook-test-worker.js';
import { randomUUID } from 'node:crypto';
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
import { webhookFanOut } from '../../adapters/db/webhooks/webhook-fan-out.js';
import { createWebhookRegistry } from '../../adapters/db/webhooks/webhook-registry.js';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import { generateWebhookSecret } from '../../domain/webhooks/webhook-signature.js';
import type { WebhookOutcome } from './webhook-lane.js';
import type { WebhookWorker } from './webhook-worker.js';

describe('webhook deliveries shared by several workers (PostgreSQL)', () => {
  let database: MigratedTestDatabase;
  let receiver: WebhookReceiver;
  const workers: WebhookWorker[] = [];
  const outcomes: WebhookOutcome[] = [];
  const box = createSecretBox('test key material that is long enough');
  let position = 0n;

  const db = () => readModelDb(database.database.db);
  const registry = () => createWebhookRegistry(db(), box);
  const deliveries = () => createWebhookDeliveries(db(), box);

  /** Stores `count` message events of a session the way the event store's transaction would. */
  async function store(sessionId: string, texts: string[], retryHours = 1): Promise<void> {
    const events: RecordedEvent[] = texts.map((body) => {
      position += 1n;
      return {
        id: randomUUID(),
        type: 'MessageReceived',
        streamName: `chat-${sessionId}_1@c.us`,
        revision: position,
        position,
        checkpoint: `0:${position}`,
        data: { body },
        metadata: { companyId: 'acme', sessionId, correlationId: `corr-${body}` },
        recordedAt: new Date(),
      };
    });
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours });
    await database.database.db.transaction().execute((trx) => fanOut(readModelDb(trx), events));
  }

  function startWorker(owner: string, queue: WebhookDeliveries = deliveries()): WebhookWorker {
    const worker = createTestWebhookWorker({
      owner,
      queue,
      enabledWebhooks: () => registry().enabled(),
      box,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    workers.push(worker);
    return worker;
  }

  beforeAll(async () => {
    database = await openMigratedTestDatabase('postgres', 'webhook_deliveries');
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await receiver?.close();
    await database?.dispose();
  });

  it('has each delivery made by one worker, each session’s events in order', async () => {
    const webhook = await registry().create({
      id: randomUUID(),
      companyId: 'acme',
      sessionId: null,
      url: receiver.url('/shared'),
      events: ['*'],
      secret: generateWebhookSecret(),
    });
    const sessions = ['s1', 's2', 's3', 's4', 's5'];
    const texts = (session: string) => Array.from({ length: 60 }, (_, i) => `${session}-${i}`);
    await Promise.all(sessions.map((session) => store(session, texts(session))));
    const [first, second] = [startWorker('process-a'), startWorker('process-b')];
    await Promise.all([first.start(), second.start()]);

    await eventually(() => receiver.at('/shared').length >= 300, 20_000);
    await eventually(
      async () => (await deliveries().log(webhook.id, { status: 'pending', limit: 1 })).length === 0,
    );
    const received = receiver
      .at('/shared')
      .map(
        (request) => JSON.parse(request.body) as { id: string; sessionId: string; data: { body: string } },
      );
    expect(received).toHaveLength(300);
    expect(new Set(received.map((body) => body.id)).size).toBe(300);
    for (const session of sessions) {
      expect(received.filter((body) => body.sessionId === session).map((body) => body.data.body)).toEqual(
        texts(session),
      );
    }
  });

  it('fails a delivery for good once its retry window has passed, and then sends the session’s next event', async () => {
    receiver.answer('/dead', (n) => (n <= 100 ? 'fail' : 'ok'));
    const webhook = await registry().create({
      id: randomUUID(),
      companyId: 'acme',
      sessionId: null,
      url: receiver.url('/dead'),
      events: ['message'],
      secret: generateWebhookSecret(),
    });
    await Promise.all(workers.map((worker) => worker.refresh()));
    await store('s9', ['doomed'], 0.5 / 3600);
    const [failed] = await eventually(async () => {
      const log = await deliveries().log(webhook.id, { status: 'failed', limit: 5 });
      return log.length > 0 && log;
    });
    expect(failed).toMatchObject({ status: 'failed', lastStatusCode: 503, correlationId: 'corr-doomed' });
    expect(failed!.attempts).toBeGreaterThan(1);
    expect(outcomes).toContain('failed');

    receiver.answer('/dead', () => 'ok');
    await store('s9', ['after']);
    await eventually(() => receiver.at('/dead').some((request) => request.body.includes('"after"')));
  });

  it('keeps outcomes it could not record while the database is out of reach, and records them once it is back', async () => {
    const webhook = await registry().create({
      id: randomUUID(),
      companyId: 'acme',
      sessionId: 'a9d7a3c4-52b1-4a8f-9a3e-3f1b2c4d5e6f',
      url: receiver.url('/outage'),
      events: ['message'],
      secret: generateWebhookSecret(),
    });
    await Promise.all(workers.map((worker) => worker.stop()));
    let refusals = 3;
    const real = deliveries();
    const flaky: WebhookDeliveries = {
      ...real,
      record: (...args) =>
        refusals-- > 0 ? Promise.reject(new Error('connection terminated')) : real.record(...args),
    };
    await startWorker('process-c', flaky).start();
    await store('a9d7a3c4-52b1-4a8f-9a3e-3f1b2c4d5e6f', ['during the outage']);
    await eventually(
      async () => (await real.log(webhook.id, { status: 'delivered', limit: 5 })).length === 1,
    );
    expect(refusals).toBeLessThan(0);
    expect(receiver.at('/outage')).toHaveLength(1);
  });

  it('claims and records for several webhooks asked at once, each webhook getting its own deliveries and statuses', async () => {
    // No worker may take these deliveries first.
    await Promise.all(workers.map((worker) => worker.stop()));
    const hooks = await Promise.all(
      ['/group-a', '/group-b', '/group-c'].map((path) =>
        registry().create({
          id: randomUUID(),
          companyId: 'grouped',
          sessionId: null,
          url: receiver.url(path),
          events: ['message'],
          secret: generateWebhookSecret(),
        }),
      ),
    );
    position += 1n;
    const fanOut = webhookFanOut((event) => ({ type: 'message', data: event.data }), { retryHours: 1 });
    await database.database.db.transaction().execute((trx) =>
      fanOut(readModelDb(trx), [
        {
          id: randomUUID(),
          type: 'MessageReceived',
          streamName: 'chat-g1_1@c.us',
          revision: 0n,
          position,
          checkpoint: `0:${position}`,
          data: { body: 'grouped' },
          metadata: { companyId: 'grouped', sessionId: 'g1' },
          recordedAt: new Date(),
        },
      ]),
    );
    const queue = deliveries();
    const claims = await Promise.all(hooks.map((hook) => queue.claim(hook.id, 'grouper', 10, 60_000)));
    expect(claims.map((claim) => [claim?.url, claim?.deliveries.map((delivery) => delivery.id)])).toEqual(
      hooks.map((hook) => [hook.url, [position.toString()]]),
    );
    const id = position.toString();
    const statuses = await Promise.all([
      queue.record(hooks[0]!.id, [{ id, kind: 'delivered', statusCode: 204 }], 'grouper'),
      queue.record(hooks[1]!.id, [{ id, kind: 'fail', statusCode: null, error: 'gone' }], 'grouper'),
      queue.record(hooks[2]!.id, [{ id, kind: 'release' }], 'grouper'),
    ]);
    expect(statuses).toEqual([
      [{ id, status: 'delivered' }],
      [{ id, status: 'failed' }],
      [{ id, status: 'pending' }],
    ]);
  });
});
