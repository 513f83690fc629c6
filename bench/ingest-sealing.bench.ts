import { randomBytes, randomUUID } from 'node:crypto';
import { migrateToLatest } from '../src/adapters/db/migrate.js';
import { openPostgresDatabase } from '../src/adapters/db/postgres-database.js';
import { readModelDb } from '../src/adapters/db/read-model-db.js';
import type { EventStore, EventToAppend } from '../src/adapters/event-store/port.js';
import type { AppendHooks } from '../src/adapters/event-store/postgres/append-hooks.js';
import { createPostgresEventStore } from '../src/adapters/event-store/postgres/postgres-event-store.js';
import { openPrivacy } from '../src/adapters/privacy/open-privacy.js';
import { allProjectors } from '../src/projections/all-projectors.js';
import { inlineProjection } from '../src/projections/inline-projection.js';
import { createTestDatabase } from '../test-support/postgres.js';
import type { BenchResult } from './support/bench-result.js';

const settings = {
  seconds: Number(process.env.BENCH_SEALING_SECONDS ?? 10),
  writers: Number(process.env.BENCH_SEALING_WRITERS ?? 200),
  chats: Number(process.env.BENCH_SEALING_CHATS ?? 2000),
};

type Mode = 'clear' | 'sealed' | 'sealed+DATA_KEY';

/**
 * What crypto-shredding costs the append path: incoming messages appended by concurrent writers through the
 * PostgreSQL store with inline projections (group commit, as the gateway appends), with personal fields in clear,
 * sealed under unwrapped contact keys, and sealed under keys wrapped by DATA_KEY. Each mode on a fresh database.
 */
export async function ingestSealingBench(): Promise<BenchResult> {
  const result: BenchResult = { name: 'ingest-sealing', writers: settings.writers, chats: settings.chats };
  for (const mode of ['clear', 'sealed', 'sealed+DATA_KEY'] as const)
    result[`${mode}EventsPerSecond`] = await eventsPerSecond(mode);
  result.sealedRatio =
    Math.round(
      ((result['sealedEventsPerSecond'] as number) / (result['clearEventsPerSecond'] as number)) * 1000,
    ) / 1000;
  return result;
}

async function eventsPerSecond(mode: Mode): Promise<number> {
  const created = await createTestDatabase('bench_sealing');
  const database = openPostgresDatabase(created.url, { maxConnections: 10 });
  await migrateToLatest(database.db);
  const project = inlineProjection(allProjectors);
  const hooks: AppendHooks = {
    withinTransaction: (trx, events) => project(readModelDb(trx), events),
  };
  const privacy =
    mode === 'clear'
      ? undefined
      : await openPrivacy(database, mode === 'sealed' ? undefined : randomBytes(32).toString('base64'));
  const inner = createPostgresEventStore(database, { hooks: privacy ? privacy.sealing.hooks(hooks) : hooks });
  const store: EventStore = privacy ? privacy.sealing.wrap(inner) : inner;
  const sessionId = randomUUID();
  let appended = 0;
  const writer = async (w: number) => {
    for (let n = 0; performance.now() < deadline(); n++) {
      const chat = (w + n * settings.writers) % settings.chats;
      const phone = `5511${String(chat).padStart(9, '0')}`;
      await store.append(`chat-${sessionId}_${phone}@c.us`, [received(sessionId, phone, `${w}-${n}`)], 'any');
      appended++;
    }
  };
  // Every contact's first message creates its key (one more round trip, once per contact): done before the
  // timing, which measures the steady state the gateway spends its life in.
  for (let chat = 0; chat < settings.chats; chat += settings.writers)
    await Promise.all(
      Array.from({ length: Math.min(settings.writers, settings.chats - chat) }, (_, i) => {
        const phone = `5511${String(chat + i).padStart(9, '0')}`;
        return store.append(
          `chat-${sessionId}_${phone}@c.us`,
          [received(sessionId, phone, `first-${chat + i}`)],
          'any',
        );
      }),
    );
  const started = performance.now();
  const deadline = () => started + settings.seconds * 1000;
  await Promise.all(Array.from({ length: settings.writers }, (_, w) => writer(w)));
  const perSecond = Math.round(appended / ((performance.now() - started) / 1000));
  console.log(`  ${mode}: ${appended} events at ${perSecond}/s`);
  await privacy?.close();
  await store.close();
  await database.close();
  await created.drop();
  return perSecond;
}

function received(sessionId: string, phone: string, waMessageId: string): EventToAppend {
  const id = randomUUID();
  return {
    id,
    type: 'MessageReceived',
    data: {
      waMessageId,
      chatJid: `${phone}@c.us`,
      isGroup: false,
      fromMe: false,
      from: `${phone}@c.us`,
      to: '5511900000000@c.us',
      senderName: `Cliente ${phone}`,
      senderPhone: phone,
      chatName: null,
      type: 'chat',
      body: `Olá, aqui é o cliente ${phone}, mensagem ${waMessageId}`,
      media: null,
      timestamp: Math.floor(Date.now() / 1000),
    },
    metadata: {
      eventId: id,
      companyId: 'bench',
      sessionId,
      correlationId: id,
      causationId: null,
      actor: { type: 'whatsapp', id: sessionId },
      recordedAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}
