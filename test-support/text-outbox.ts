import { createMemoryBus } from '../src/adapters/bus/memory-bus.js';
import type { EventStore } from '../src/adapters/event-store/port.js';
import type { DriverSession } from '../src/adapters/whatsapp/port.js';
import { createCommandHandler } from '../src/app/command-handler.js';
import { createOutboxSender } from '../src/app/outbox-sender.js';
import { createSendPacing } from '../src/app/send-pacing.js';
import { silentLogger } from '../src/logger.js';

/**
 * An outbox over `store` on an in-memory bus, whose WhatsApp can send texts only, for the sessions `runsHere`
 * says run in this process (default: all). `sent` lists the texts in the order WhatsApp took them.
 */
export function textOnlyOutbox(store: EventStore, runsHere: (sessionId: string) => boolean = () => true) {
  const sent: string[] = [];
  const driver = {
    sendText: (_to: string, text: string) => {
      sent.push(text);
      return Promise.resolve({ waMessageId: `wa-${sent.length}`, ack: 1, timestamp: 1 });
    },
  } as unknown as DriverSession;
  const bus = createMemoryBus();
  const outbox = createOutboxSender({
    bus,
    subjectRoot: 'wa',
    store,
    handle: createCommandHandler(store),
    runsElsewhere: () => Promise.resolve(false),
    driverSession: (sessionId) => (runsHere(sessionId) ? driver : undefined),
    pacing: createSendPacing({ ratePerSecond: 0, burst: 1, minIntervalPerChatMs: 0 }),
    media: { read: () => Promise.reject(new Error('no media')) } as never,
    logger: silentLogger,
  });
  return {
    outbox,
    sent,
    close: async (): Promise<void> => {
      await outbox.stop();
      await bus.close();
    },
  };
}
