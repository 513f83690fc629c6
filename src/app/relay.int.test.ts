import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { deleteTestStream, testNatsUrl } from '../../test-support/nats.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../test-support/test-databases.js';
import { createNatsBus } from '../adapters/bus/nats-bus.js';
import { subjectToken, type Bus, type BusMessage } from '../adapters/bus/port.js';
import { readModelDb } from '../adapters/db/read-model-db.js';
import type { EventStore, EventToAppend } from '../adapters/event-store/port.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { silentLogger } from '../logger.js';
import { relayCheckpoints } from '../projections/queries/relay-checkpoints.js';
import { createRelay, type Relay, type RelayCheckpoints } from './relay.js';

// Other test runs share the NATS server: this file's stream and subject root carry their own suffix.
const suffix = randomBytes(4).toString('hex');
const streamName = `ZL_TEST_RELAY_${suffix}`;
const root = `r${suffix}`;
const subject = (companyId: string, sessionId: string, type: string) =>
  [root, companyId, sessionId, type].map(subjectToken).join('.');

let testDb: MigratedTestDatabase;
let store: EventStore;
let bus: Bus;
let natsUrl: string;
const relays: Relay[] = [];

beforeAll(async () => {
  natsUrl = await testNatsUrl();
  testDb = await openMigratedTestDatabase('postgres', 'relay');
  store = createPostgresEventStore(testDb.database, { pollIntervalMs: 50 });
  bus = await createNatsBus({ url: natsUrl, streamName, subjectRoot: root });
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

afterAll(async () => {
  await bus?.close();
  await store?.close();
  await testDb?.dispose();
  if (natsUrl) await deleteTestStream(natsUrl, streamName);
});

describe('relay', () => {
  it('publishes each stored event once, in order, on its subject, and saves the checkpoint', async () => {
    const { company, seen } = await watchCompany();
    const ids = await appendHistory(company);
    await store.append(`other-${company}`, [event(company, 'Ignored')], 'no_stream');
    const checkpoints = relayCheckpoints(readModelDb(testDb.database.db), `relay-${company}`);
    await start({ checkpoints });
    await eventually(() => seen.length === ids.length);
    expect(seen.map((s) => s.message.eventId)).toEqual(ids);
    expect(seen.map((s) => s.subject)).toEqual([
      `${root}.${company}.s1.SessionRegistered`,
      `${root}.${company}.s1.MessageReceived`,
      `${root}.${company}.s1.SessionConnected`,
    ]);
    const [stored] = await store.readStream(`session-${company}-s1`);
    expect(seen[0]!.message).toMatchObject({ revision: '0', position: stored!.position.toString() });
    const lastStored = (await store.readStream(`session-${company}-s1`)).at(-1)!;
    await eventually(async () => (await checkpoints.load()) === lastStored.checkpoint);
  });

  it('publishes nothing twice when restarted after publishing but before saving the checkpoint', async () => {
    const { company, seen } = await watchCompany();
    const first = await appendHistory(company);
    let crashed = false;
    const saved = memoryCheckpoints();
    const checkpoints: RelayCheckpoints = {
      load: () => saved.load(),
      save(checkpoint) {
        if (crashed) return saved.save(checkpoint);
        crashed = true;
        void crashing.stop(); // the process dies here: published, not checkpointed
        return Promise.reject(new Error('crash'));
      },
    };
    const crashing = await start({ checkpoints });
    await eventually(() => crashed && seen.length === first.length);
    await crashing.stop();
    expect(await saved.load()).toBeNull();
    const second = await appendHistory(company, 's2');
    await start({ checkpoints });
    await eventually(() => seen.length >= first.length + second.length);
    await pause(200); // proving a negative: no repeat arrives late
    expect(seen.map((s) => s.message.eventId)).toEqual([...first, ...second]);
  });

  it('retries a failing publish and keeps each stream in order while other streams go on', async () => {
    const { company, seen } = await watchCompany();
    const [registered, received, connected] = await appendHistory(company);
    let failures = 0;
    const flaky: Bus = {
      ...bus,
      publish(to, message, id) {
        // The session stream's first event fails twice; the chat stream's event is not held up by it.
        if (id !== registered || failures === 2) return bus.publish(to, message, id);
        failures += 1;
        return Promise.reject(new Error('NATS is down'));
      },
    };
    await start({ checkpoints: memoryCheckpoints(), bus: flaky });
    await eventually(() => seen.length === 3);
    expect(failures).toBe(2);
    const order = seen.map((s) => s.message.eventId);
    expect(order[0]).toBe(received);
    expect(order.filter((id) => id !== received)).toEqual([registered, connected]);
  });
});

async function start(options: { checkpoints: RelayCheckpoints; bus?: Bus }): Promise<Relay> {
  const relay = createRelay({
    store,
    bus: options.bus ?? bus,
    checkpoints: options.checkpoints,
    subject,
    logger: silentLogger,
    retryDelayMs: 10,
  });
  relays.push(relay);
  await relay.start();
  return relay;
}

async function watchCompany() {
  const company = `co${randomBytes(4).toString('hex')}`;
  const seen: { message: BusMessage; subject: string }[] = [];
  await bus.subscribe(`${root}.${company}.>`, (message, to) => seen.push({ message, subject: to }));
  return { company, seen };
}

/** Three events over a session stream and a chat stream, in the order they are stored; returns their ids. */
async function appendHistory(company: string, sessionId = 's1'): Promise<string[]> {
  const events = [
    event(company, 'SessionRegistered', sessionId),
    event(company, 'MessageReceived', sessionId),
    event(company, 'SessionConnected', sessionId),
  ];
  const session = `session-${company}-${sessionId}`;
  await store.append(session, [events[0]!], 'no_stream');
  await store.append(`chat-${company}-${sessionId}_5511@c.us`, [events[1]!], 'no_stream');
  await store.append(session, [events[2]!], 0n);
  return events.map((e) => e.id);
}

function event(companyId: string, type: string, sessionId = 's1'): EventToAppend {
  return { id: randomUUID(), type, data: { sessionId }, metadata: { companyId, sessionId } };
}

function memoryCheckpoints(): RelayCheckpoints {
  let value: string | null = null;
  return {
    load: () => Promise.resolve(value),
    save(checkpoint) {
      value = checkpoint;
      return Promise.resolve();
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
