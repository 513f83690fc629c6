import { randomUUID } from 'node:crypto';
import { readModelDb } from '../src/adapters/db/read-model-db.js';
import { createPostgresSnapshotStore } from '../src/adapters/db/postgres-snapshot-store.js';
import type { EventToAppend } from '../src/adapters/event-store/port.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { createCommandHandler } from '../src/app/command-handler.js';
import type { ChatCommand } from '../src/domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../src/domain/chat/chat-stream.js';
import { openMigratedTestDatabase } from '../test-support/test-databases.js';
import type { BenchResult } from './support/bench-result.js';

const chatJid = '5511977000001@c.us';

/**
 * One chat with `events` events (received messages and acks), then the next send: how long its decision takes
 * on the state a process holds, how long a process that never saw the chat takes to load it (from the latest
 * snapshot and the events after it), and the whole recorded request. Target: decision ≤ 1 ms.
 */
export async function decisionBench(
  events = Number(process.env.BENCH_DECISION_EVENTS ?? 100_000),
): Promise<BenchResult> {
  const testDb = await openMigratedTestDatabase('postgres', 'bench_decision');
  const store = createPostgresEventStore(testDb.database);
  const snapshots = createPostgresSnapshotStore(readModelDb(testDb.database.db));
  const sessionId = randomUUID();
  const stream = chatStreamName(sessionId, chatJid);
  const metadata = { companyId: 'acme', sessionId, correlationId: randomUUID(), causationId: null };
  try {
    const seeded = performance.now();
    for (let first = 0; first < events; first += 1000) {
      const batch = Array.from({ length: Math.min(1000, events - first) }, (_, offset): EventToAppend => {
        const n = first + offset;
        const waMessageId = `false_${chatJid}_${Math.floor(n / 2)}`;
        return n % 2 === 0
          ? {
              id: randomUUID(),
              type: 'MessageReceived',
              data: {
                waMessageId,
                chatJid,
                isGroup: false,
                fromMe: false,
                from: chatJid,
                to: '5511900000000@c.us',
                senderName: 'Cliente',
                senderPhone: '5511977000001',
                chatName: null,
                type: 'chat',
                body: `message ${n}`,
                media: null,
                timestamp: 1_764_000_000 + n,
              },
              metadata: { ...metadata, eventId: randomUUID(), recordedAt: new Date().toISOString() },
            }
          : {
              id: randomUUID(),
              type: 'MessageAckChanged',
              data: { waMessageId, ack: 4 },
              metadata: { ...metadata, eventId: randomUUID(), recordedAt: new Date().toISOString() },
            };
      });
      await store.append(stream, batch, 'any');
    }
    console.log(`  seeded ${events} events in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    // The first process to load the chat folds it all once, and keeps a snapshot for everyone after it.
    const firstLoad = await timed(() => createCommandHandler(store, { snapshots }).load(chatStream, stream));
    await waitForSnapshot();
    const handle = createCommandHandler(store, { snapshots });
    const coldLoad = await timed(() => handle.load(chatStream, stream));
    const { state } = await handle.load(chatStream, stream);

    const decisions: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      chatStream.decider.decide(send(randomUUID()), state);
      decisions.push(performance.now() - started);
    }
    const context = {
      companyId: 'acme',
      sessionId,
      actor: { type: 'user' as const, id: 'bench' },
      correlationId: randomUUID(),
      causationId: null,
    };
    const recorded: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await handle(chatStream, stream, send(randomUUID()), context);
      recorded.push(performance.now() - started);
    }
    return {
      name: 'decision',
      events,
      decisionP50Ms: percentile(decisions, 0.5),
      decisionP99Ms: percentile(decisions, 0.99),
      firstLoadMs: Math.round(firstLoad),
      loadFromSnapshotMs: Math.round(coldLoad * 10) / 10,
      recordSendP50Ms: percentile(recorded, 0.5),
      recordSendP99Ms: percentile(recorded, 0.99),
    };
  } finally {
    await store.close();
    await testDb.dispose();
  }

  function send(messageId: string): ChatCommand {
    return {
      type: 'RequestMessageSend',
      sessionId,
      chatJid,
      messageId,
      from: null,
      body: 'Olá',
      media: null,
      idempotencyKey: null,
      requestHash: null,
      sessionConnected: true,
    };
  }

  async function waitForSnapshot(): Promise<void> {
    for (let tries = 0; tries < 500 && !(await snapshots.load(stream)); tries++)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return Math.round(value * 1000) / 1000;
}
