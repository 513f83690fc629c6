import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../adapters/bus/memory-bus.js';
import type { EventStore } from '../adapters/event-store/port.js';
import type { DriverSession } from '../adapters/whatsapp/port.js';
import { initialChatState } from '../domain/chat/chat-state.js';
import { silentLogger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';
import { createOutboxSender } from './outbox-sender.js';
import { createSendPacing } from './send-pacing.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe("the outbox's work queue", () => {
  it('lets go of the copy of a request that is settled already, instead of taking it back forever', async () => {
    const bus = createMemoryBus();
    let loads = 0;
    const handle = (() => Promise.reject(new Error('nothing to record'))) as unknown as CommandHandler;
    handle.load = () => {
      loads++;
      // The send is settled: no open send in the chat's state.
      return Promise.resolve({ state: initialChatState() as never, revision: 3n });
    };
    const outbox = createOutboxSender({
      bus,
      subjectRoot: 'wa',
      store: {} as EventStore,
      handle,
      runsElsewhere: () => Promise.resolve(false),
      driverSession: () => ({}) as DriverSession,
      pacing: createSendPacing({ ratePerSecond: 0, burst: 1, minIntervalPerChatMs: 0 }),
      media: { read: () => Promise.reject(new Error('no media')) } as never,
      logger: silentLogger,
    });
    await outbox.start();
    stops.push(
      () => outbox.stop(),
      () => bus.close(),
    );
    const sessionId = randomUUID();
    await bus.publish(
      `wa.acme.${sessionId}.MessageSendRequested`,
      {
        eventId: randomUUID(),
        type: 'MessageSendRequested',
        streamName: `chat-${sessionId}_5511988887777@c.us`,
        revision: '0',
        position: '1',
        companyId: 'acme',
        sessionId,
        data: { messageId: randomUUID(), chatJid: '5511988887777@c.us', body: 'Olá', media: null },
        metadata: {},
        recordedAt: new Date().toISOString(),
      },
      randomUUID(),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterFirst = loads;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(loads).toBe(afterFirst);
  });
});
