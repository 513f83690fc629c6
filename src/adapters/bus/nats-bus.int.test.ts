import { randomBytes, randomUUID } from 'node:crypto';
import { connect, nanos } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test-support/eventually.js';
import { deleteTestStream, testNatsUrl } from '../../../test-support/nats.js';
import { busContract } from './bus.contract.js';
import { createNatsBus } from './nats-bus.js';
import { StreamSubjectsTakenError } from './nats-errors.js';
import type { BusMessage } from './port.js';

// Other test runs share the server: this file's stream and subjects carry their own suffix.
const suffix = randomBytes(4).toString('hex');
const streamName = `ZL_TEST_${suffix}`;
const subjectRoot = `t${suffix}`;
let url: string;

beforeAll(async () => {
  url = await testNatsUrl();
});
afterAll(async () => {
  if (url)
    await Promise.all(
      [streamName, `${streamName}_X`, `${streamName}_Y`, `${streamName}_Z`].map((name) =>
        deleteTestStream(url, name),
      ),
    );
});

busContract('nats', async () => createNatsBus({ url: await testNatsUrl(), streamName, subjectRoot }), {
  subjectRoot,
});

describe('nats bus', () => {
  it('gives each process its own copy, and each queue message to one process', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => createNatsBus({ url, streamName, subjectRoot })));
    try {
      const pattern = `${subjectRoot}.p${suffix}.>`;
      const seen = { a: [] as string[], b: [] as string[], queue: [] as string[] };
      await a!.subscribe(pattern, (m) => seen.a.push(m.eventId));
      await b!.subscribe(pattern, (m) => seen.b.push(m.eventId));
      for (const bus of [a!, b!])
        await bus.consume(`shared${suffix}`, pattern, (m) =>
          Promise.resolve(void seen.queue.push(m.eventId)),
        );
      const ids = Array.from({ length: 10 }, () => randomUUID());
      for (const id of ids) await a!.publish(`${subjectRoot}.p${suffix}.s1.MessageReceived`, message(id), id);
      await eventually(() => seen.a.length === 10 && seen.b.length === 10 && seen.queue.length === 10);
      expect(seen.a).toEqual(ids);
      expect(seen.b).toEqual(ids);
      expect([...seen.queue].sort()).toEqual([...ids].sort());
    } finally {
      await Promise.all([a?.close(), b?.close()]);
    }
  });

  it('adds its subjects and limits to a stream that exists with others', async () => {
    const name = `${streamName}_X`;
    const nc = await connect({ servers: url });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name, subjects: [`x${suffix}.>`], max_age: nanos(60_000) });
      const bus = await createNatsBus({
        url,
        streamName: name,
        subjectRoot: `y${suffix}`,
        maxAge: 3_600_000,
      });
      await bus.close();
      const { config } = await jsm.streams.info(name);
      expect(config.subjects.sort()).toEqual([`x${suffix}.>`, `y${suffix}.>`].sort());
      expect(config.max_age).toBe(nanos(3_600_000));
      expect(config.duplicate_window).toBe(nanos(120_000));
    } finally {
      await nc.close();
    }
  });
});

describe('a second stream on the same server', () => {
  it('is refused with an error naming the stream that holds its subjects and the setting to change', async () => {
    const first = await createNatsBus({ url, streamName: `${streamName}_Y`, subjectRoot: `o${suffix}` });
    await first.close();
    const error = await createNatsBus({
      url,
      streamName: `${streamName}_Z`,
      subjectRoot: `o${suffix}`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamSubjectsTakenError);
    expect(error).toMatchObject({ stream: `${streamName}_Z`, holder: `${streamName}_Y` });
    expect((error as Error).message).toContain('NATS_SUBJECT_PREFIX');
    expect((error as Error).message).toContain(`"${streamName}_Y" already holds them`);
  });

  it('works beside the first one with a subject prefix of its own', async () => {
    const second = await createNatsBus({ url, streamName: `${streamName}_Z`, subjectRoot: `q${suffix}` });
    expect(await second.ping()).toBe(true);
    await second.close();
  });
});

function message(eventId: string): BusMessage {
  return {
    eventId,
    type: 'MessageReceived',
    streamName: 'session-s1',
    revision: '0',
    position: '0',
    companyId: `p${suffix}`,
    sessionId: 's1',
    data: {},
    metadata: {},
    recordedAt: new Date(0).toISOString(),
  };
}
