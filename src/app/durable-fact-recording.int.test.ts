import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordIncomingMessage } from '../../test-support/incoming-message.js';
import { useSupervisorTestBed } from '../../test-support/supervisor-test-bed.js';
import { openFileFactSpool } from '../adapters/spool/file-fact-spool.js';
import { createSimulatorDriver } from '../adapters/whatsapp/simulator/simulator-driver.js';
import { chatStreamName } from '../domain/chat/chat-stream.js';
import { silentLogger } from '../logger.js';
import { createCommandHandler, type CommandHandler } from './command-handler.js';
import { replaySpool } from './durable-fact-recording.js';
import type { Fact } from './fact-spool.js';
import { createIntakeLoad } from './intake-load.js';
import { eventually } from '../../test-support/eventually.js';

const bed = useSupervisorTestBed();
const folders: string[] = [];
const spoolFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'zapledger-spool-'));
  folders.push(folder);
  return folder;
};
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A handler whose chat appends fail while `outage.left` is above zero, as when PostgreSQL restarts. */
function failingWhileDown(outage: { left: number }): CommandHandler {
  const real = createCommandHandler(bed.store);
  const handle = (async (streamType, streamName, command, context) => {
    if (streamName.startsWith('chat-') && outage.left > 0) {
      outage.left--;
      throw Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      });
    }
    return real(streamType, streamName, command, context);
  }) as CommandHandler;
  handle.load = (streamType, streamName) => real.load(streamType, streamName);
  return handle;
}

describe('a fact from WhatsApp while the store is out of reach', () => {
  it('is kept in the spool and stored once the store is back, in order with what followed it', async () => {
    const folder = await spoolFolder();
    const spool = await openFileFactSpool(folder, { maxFacts: 100 });
    const outage = { left: 3 };
    const simulator = createSimulatorDriver({ settings: bed.fast });
    const supervisor = bed.supervise(simulator, { handle: failingWhileDown(outage), spool });
    const sessionId = await bed.connected(simulator, supervisor);

    const first = simulator.incoming(sessionId, { from: '5511988887777', body: 'primeira' });
    const second = simulator.incoming(sessionId, { from: '5511988887777', body: 'segunda' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spool.size()).toBe(1);
    expect(await readdir(folder)).toHaveLength(1);
    await Promise.all([first, second]);

    const stored = await bed.store.readStream(chatStreamName(sessionId, '5511988887777@c.us'));
    expect(stored.map((event) => event.data.body)).toEqual(['primeira', 'segunda']);
    expect(spool.size()).toBe(0);
    expect(await readdir(folder)).toEqual([]);
  });

  it('left in the spool by a process that stopped, is stored by the next start', async () => {
    const folder = await spoolFolder();
    const spool = await openFileFactSpool(folder, { maxFacts: 100 });
    const sessionId = await bed.registeredSession();
    const chatJid = '5511988887777@c.us';
    const fact: Fact = {
      category: 'chat',
      streamName: chatStreamName(sessionId, chatJid),
      command: recordIncomingMessage(sessionId, chatJid, {
        waMessageId: 'false_5511988887777@c.us_SPOOLED',
        body: 'guardada no disco',
        timestamp: 1_765_717_960,
      }),
      context: {
        companyId: bed.company,
        sessionId,
        actor: { type: 'whatsapp', id: sessionId },
        correlationId: 'c-1',
        causationId: null,
        factKey: 'false_5511988887777@c.us_SPOOLED',
      },
    };
    await spool.add(fact);

    const reopened = await openFileFactSpool(folder, { maxFacts: 100 });
    expect(reopened.size()).toBe(1);
    expect(await replaySpool(reopened, createCommandHandler(bed.store), silentLogger)).toBe(1);
    const stored = await bed.store.readStream(chatStreamName(sessionId, chatJid));
    expect(stored.map((event) => event.data.body)).toEqual(['guardada no disco']);
    expect(await readdir(folder)).toEqual([]);
  });

  it('holds at most as many facts as it is allowed', async () => {
    const spool = await openFileFactSpool(await spoolFolder(), { maxFacts: 1 });
    const fact = { category: 'chat', streamName: 'chat-x', command: {}, context: {} } as unknown as Fact;
    expect(await spool.add(fact)).toBeDefined();
    expect(await spool.add(fact)).toBeUndefined();
  });
});

/** A handler whose chat appends wait until `gate.open()`, as when the store is far behind WhatsApp. */
function heldBack() {
  const real = createCommandHandler(bed.store);
  let opened = false;
  const waiting: (() => void)[] = [];
  const handle = (async (streamType, streamName, command, context) => {
    if (streamName.startsWith('chat-') && !opened)
      await new Promise<void>((resolve) => waiting.push(resolve));
    return real(streamType, streamName, command, context);
  }) as CommandHandler;
  handle.load = (streamType, streamName) => real.load(streamType, streamName);
  const open = () => {
    opened = true;
    for (const resume of waiting.splice(0)) resume();
  };
  return { handle, real, open };
}

describe('a fact from WhatsApp while the process is behind', () => {
  it('is written to the spool as it arrives, so a restart stores it, and it is stored once', async () => {
    const folder = await spoolFolder();
    const spool = await openFileFactSpool(folder, { maxFacts: 100 });
    const store = heldBack();
    const simulator = createSimulatorDriver({ settings: bed.fast });
    const supervisor = bed.supervise(simulator, {
      handle: store.handle,
      spool,
      intake: createIntakeLoad({ behindAt: 1 }),
    });
    const sessionId = await bed.connected(simulator, supervisor);

    const arrivals = ['um', 'dois', 'três'].map((body) =>
      simulator.incoming(sessionId, { from: '5511988887777', body }),
    );
    try {
      // The first arrived with nothing in flight; the two behind it are on disk while they wait in memory.
      await eventually(
        async () => (await readdir(folder)).filter((name) => name.endsWith('.json')).length === 2,
      );

      // What a process started after this one crashed would do with the folder.
      const afterCrash = await openFileFactSpool(folder, { maxFacts: 100 });
      expect(await replaySpool(afterCrash, store.real, silentLogger)).toBe(2);
    } finally {
      store.open();
    }
    await Promise.all(arrivals);

    const stored = await bed.store.readStream(chatStreamName(sessionId, '5511988887777@c.us'));
    expect(stored.map((event) => event.data.body).sort()).toEqual(['dois', 'três', 'um']);
    expect(await readdir(folder)).toEqual([]);
  });

  it('is not spooled while the process keeps up', async () => {
    const folder = await spoolFolder();
    const spool = await openFileFactSpool(folder, { maxFacts: 100 });
    const simulator = createSimulatorDriver({ settings: bed.fast });
    const supervisor = bed.supervise(simulator, { spool, intake: createIntakeLoad({ behindAt: 1 }) });
    const sessionId = await bed.connected(simulator, supervisor);
    let spooled = 0;
    const add = spool.add.bind(spool);
    spool.add = (fact) => {
      spooled++;
      return add(fact);
    };
    for (const body of ['um', 'dois', 'três'])
      await simulator.incoming(sessionId, { from: '5511988887777', body });
    expect(spooled).toBe(0);
  });
});
