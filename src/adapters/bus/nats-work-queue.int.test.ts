import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTestStream, testNatsUrl } from '../../../test-support/nats.js';
import { silentLogger } from '../../logger.js';
import { ensureStream } from './nats-stream.js';
import { startWorkQueue } from './nats-work-queue.js';
import type { BusMessage } from './port.js';

const suffix = randomBytes(4).toString('hex');
const stream = `ZL_WQ_${suffix}`;
const subjectRoot = `wq${suffix}`;
let url: string;

beforeAll(async () => {
  url = await testNatsUrl();
});
afterAll(async () => {
  if (url) await deleteTestStream(url, stream);
});

describe('the NATS work queue', () => {
  it('keeps a message that takes longer than the ack wait with the consumer working on it', async () => {
    const nc = await connect({ servers: url });
    try {
      const jsm = await nc.jetstreamManager();
      const js = nc.jetstream();
      await ensureStream(
        jsm,
        {
          name: stream,
          subjects: [`${subjectRoot}.>`],
          maxAgeMs: 60_000,
          maxBytes: -1,
          duplicateWindowMs: 1000,
        },
        silentLogger,
      );
      const handled: string[] = [];
      const queue = (name: string) =>
        startWorkQueue({
          js,
          jsm,
          stream,
          queue: 'slow',
          pattern: `${subjectRoot}.>`,
          retryDelayMs: 100,
          concurrency: 4,
          logger: silentLogger,
          ackWaitMs: 1000,
          handler: async () => {
            handled.push(name);
            await new Promise((resolve) => setTimeout(resolve, 3000));
          },
        });
      const [a, b] = await Promise.all([queue('a'), queue('b')]);
      const message: BusMessage = {
        eventId: randomUUID(),
        type: 'MessageSendRequested',
        streamName: 'chat-x',
        revision: '0',
        position: '1',
        companyId: 'acme',
        sessionId: 's',
        data: {},
        metadata: {},
        recordedAt: new Date().toISOString(),
      };
      await js.publish(`${subjectRoot}.acme.s.MessageSendRequested`, JSON.stringify(message));
      await new Promise((resolve) => setTimeout(resolve, 4500));
      await Promise.all([a.unsubscribe(), b.unsubscribe()]);
      expect(handled).toHaveLength(1);
    } finally {
      await nc.close();
    }
  });
});
