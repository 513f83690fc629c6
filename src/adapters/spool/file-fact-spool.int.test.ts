import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordIncomingMessage } from '../../../test-support/incoming-message.js';
import type { CommandHandler } from '../../app/command-handler.js';
import { replaySpool } from '../../app/durable-fact-recording.js';
import type { Fact } from '../../app/fact-spool.js';
import { silentLogger } from '../../logger.js';
import { openFileFactSpool } from './file-fact-spool.js';
import { SpoolFileUnreadableError } from './spool-sealing.js';

const folders: string[] = [];
const spoolFolder = async () => {
  const folder = await mkdtemp(join(tmpdir(), 'zapledger-sealed-spool-'));
  folders.push(folder);
  return folder;
};
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

const sessionId = '7b0c0c1e-0000-4000-8000-000000000001';
const chatJid = '5511988887777@c.us';
const fact: Fact = {
  category: 'chat',
  streamName: `chat-${sessionId}_${chatJid}`,
  command: recordIncomingMessage(sessionId, chatJid, {
    waMessageId: 'false_5511988887777@c.us_SEALED',
    body: 'meu CPF é 123.456.789-00',
    timestamp: 1_765_717_960,
  }),
  context: {
    companyId: 'acme',
    sessionId,
    actor: { type: 'whatsapp', id: sessionId },
    correlationId: 'c-1',
    causationId: null,
    factKey: 'false_5511988887777@c.us_SEALED',
  },
};

/** A handler that records the commands it is given, as the store would. */
function recordingHandler(): CommandHandler & { commands: unknown[] } {
  const commands: unknown[] = [];
  const handle = ((_type: unknown, _stream: string, command: unknown) => {
    commands.push(command);
    return Promise.resolve({ events: [], state: undefined, revision: 0n });
  }) as unknown as CommandHandler & { commands: unknown[] };
  handle.commands = commands;
  return handle;
}

describe('the fact spool with DATA_KEY', () => {
  const dataKey = randomBytes(32);

  it('keeps no message text in clear on disk, and replays the fact as it was', async () => {
    const folder = await spoolFolder();
    const spool = await openFileFactSpool(folder, { maxFacts: 10, dataKey });
    const id = await spool.add(fact);
    const stored = await readFile(join(folder, id!));
    expect(stored.toString('latin1')).not.toContain('CPF');
    expect(stored.toString('latin1')).not.toContain('5511988887777');

    const reopened = await openFileFactSpool(folder, { maxFacts: 10, dataKey });
    const handle = recordingHandler();
    expect(await replaySpool(reopened, handle, silentLogger)).toBe(1);
    expect(handle.commands).toEqual([fact.command]);
    expect(await readdir(folder)).toEqual([]);
  });

  it('still reads a clear file left by a start without DATA_KEY (or before sealing)', async () => {
    const folder = await spoolFolder();
    await writeFile(join(folder, '000000000000-1.json'), JSON.stringify(fact));
    const spool = await openFileFactSpool(folder, { maxFacts: 10, dataKey });
    expect(await spool.pending()).toEqual([{ id: '000000000000-1.json', fact }]);
  });

  it('refuses a file sealed under another key, or with DATA_KEY unset, saying why, and keeps it', async () => {
    const folder = await spoolFolder();
    const id = await (await openFileFactSpool(folder, { maxFacts: 10, dataKey })).add(fact);

    const otherKey = await openFileFactSpool(folder, { maxFacts: 10, dataKey: randomBytes(32) });
    await expect(otherKey.pending()).rejects.toThrow(SpoolFileUnreadableError);
    await expect(replaySpool(otherKey, recordingHandler(), silentLogger)).rejects.toThrow(
      /does not open with this DATA_KEY.*the file is kept/,
    );
    const noKey = await openFileFactSpool(folder, { maxFacts: 10 });
    await expect(noKey.pending()).rejects.toThrow(/sealed, and DATA_KEY is unset/);
    expect(await readdir(folder)).toEqual([id]);
  });
});

describe('the fact spool after a crash while it wrote', () => {
  it('starts with what was half written gone and an empty fact file set aside, and replays the rest', async () => {
    const folder = await spoolFolder();
    const kept = await (await openFileFactSpool(folder, { maxFacts: 10 })).add(fact);
    // What a kill -9 leaves: a fact being written aside, and (before writes went aside) an empty fact file.
    await writeFile(join(folder, '000000000007-99.json.partial'), '{"categ');
    const minutesAgo = new Date(Date.now() - 5 * 60_000);
    await utimes(join(folder, '000000000007-99.json.partial'), minutesAgo, minutesAgo);
    await writeFile(join(folder, '000000000008-99.json'), '');
    // Another process sharing the folder, writing one now: left alone.
    await writeFile(join(folder, '000000000009-98.json.partial'), '{"categ');

    const reopened = await openFileFactSpool(folder, { maxFacts: 10 });
    expect(reopened.size()).toBe(1);
    expect(await reopened.pending()).toEqual([{ id: kept, fact }]);
    expect((await readdir(folder)).sort()).toEqual(
      [kept, '000000000008-99.json.torn', '000000000009-98.json.partial'].sort(),
    );
  });
});
