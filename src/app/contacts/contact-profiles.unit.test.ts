import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import type { DriverSession } from '../../adapters/whatsapp/port.js';
import { silentLogger } from '../../logger.js';
import type { CommandHandler } from '../command-handler.js';
import type { MediaBlobStore } from '../media-blob-store.js';
import { createContactProfiles } from './contact-profiles.js';

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('rosto')]);
const sha256 = createHash('sha256').update(png).digest('hex');

function received(
  from: string,
  senderName: string | null,
  id = `event-${from}-${Math.random()}`,
): RecordedEvent {
  return {
    id,
    type: 'MessageReceived',
    data: {
      from,
      fromMe: false,
      senderPhone: from.endsWith('@c.us') ? from.replace('@c.us', '') : null,
      senderName,
    },
    metadata: { sessionId: 's1', companyId: 'acme' },
  } as unknown as RecordedEvent;
}

function world(driver: Partial<DriverSession>, known: string | null = null) {
  const commands: { type: string; [key: string]: unknown }[] = [];
  const kept: string[] = [];
  let clock = 0;
  const asked = { pictures: 0, names: 0 };
  const session = {
    profilePicture: (jid: string) => {
      asked.pictures += 1;
      return driver.profilePicture!(jid);
    },
    contactName: (jid: string) => {
      asked.names += 1;
      return driver.contactName!(jid);
    },
  } as DriverSession;
  const profiles = createContactProfiles({
    handle: ((_type: unknown, _stream: string, command: { type: string }) => {
      commands.push(command);
      return Promise.resolve({});
    }) as unknown as CommandHandler,
    blobs: {
      put: (_company: string, file: { sha256: string }) => void kept.push(file.sha256),
    } as unknown as MediaBlobStore,
    driverSession: () => session,
    knownPicture: () => Promise.resolve(known),
    logger: silentLogger,
    retryInitialMs: 1,
    now: () => clock,
  });
  return { profiles, commands, kept, asked, advance: (ms: number) => (clock += ms) };
}

describe('contact profiles', () => {
  it('keeps and records the picture of a new contact, and asks its name when the message carries none', async () => {
    const { profiles, commands, kept } = world({
      profilePicture: () => Promise.resolve(png),
      contactName: () => Promise.resolve('Ana'),
    });
    profiles.takeUpCommitted([received('5511988880001@c.us', null)]);
    await profiles.drain();
    expect(kept).toEqual([sha256]);
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'RecordContactPicture',
        sha256,
        mimetype: 'image/png',
        phone: '5511988880001',
      }),
      expect.objectContaining({ type: 'RecordContactName', name: 'Ana' }),
    ]);
  });

  it('asks a contact again only after a day', async () => {
    const { profiles, asked, advance } = world({
      profilePicture: () => Promise.resolve(null),
      contactName: () => Promise.resolve(null),
    });
    profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
    advance(23 * 60 * 60 * 1000);
    profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
    await profiles.drain();
    expect(asked.pictures).toBe(1);
    advance(60 * 60 * 1000);
    profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
    await profiles.drain();
    expect(asked.pictures).toBe(2);
    expect(asked.names).toBe(0);
  });

  it('records nothing when the picture is the one known already', async () => {
    const { profiles, commands, kept } = world({ profilePicture: () => Promise.resolve(png) }, sha256);
    profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
    await profiles.drain();
    expect(kept).toEqual([]);
    expect(commands).toEqual([]);
  });

  it('retries a failed question, then keeps what WhatsApp answered', async () => {
    let calls = 0;
    const { profiles, commands } = world({
      profilePicture: () => (++calls < 3 ? Promise.reject(new Error('page busy')) : Promise.resolve(png)),
    });
    profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
    await profiles.drain();
    expect(commands.map((c) => c.type)).toEqual(['RecordContactPicture']);
  });

  it('leaves groups and the session’s own messages alone', async () => {
    const { profiles, asked } = world({ profilePicture: () => Promise.resolve(png) });
    const own = received('5511988880001@c.us', null);
    profiles.takeUpCommitted([
      received('120363000000000000@g.us', null),
      { ...own, data: { ...own.data, fromMe: true } },
    ]);
    await profiles.drain();
    expect(asked.pictures).toBe(0);
  });

  it('asks a contact WhatsApp shows only by its linked-device id by that id, for its row under the id', async () => {
    const jids: string[] = [];
    const { profiles, commands } = world({
      profilePicture: (jid) => (jids.push(jid), Promise.resolve(png)),
      contactName: () => Promise.resolve('Rita'),
    });
    profiles.takeUpCommitted([received('123456789012345@lid', null)]);
    await profiles.drain();
    expect(jids).toEqual(['123456789012345@lid']);
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'RecordContactPicture',
        contactJid: '123456789012345@lid',
        phone: '123456789012345@lid',
      }),
      expect.objectContaining({ type: 'RecordContactName', phone: '123456789012345@lid', name: 'Rita' }),
    ]);
  });
});

describe('contact profiles, recorded as the event store keeps facts (one per session, fact key and type)', () => {
  it('records a picture the contact shows again after another one', async () => {
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.from('outro rosto')]);
    const shown = [png, jpeg, png];
    let known: string | null = null;
    const stored = new Set<string>();
    const pictures: string[] = [];
    let clock = 0;
    const profiles = createContactProfiles({
      handle: ((
        _type: unknown,
        _stream: string,
        command: { type: string; sha256: string },
        context: { sessionId: string; factKey: string },
      ) => {
        // The command handler's deterministic event id: a fact key seen before appends nothing.
        const id = `${context.sessionId}|${context.factKey}|${command.type}`;
        if (!stored.has(id)) {
          stored.add(id);
          pictures.push(command.sha256);
          known = command.sha256;
        }
        return Promise.resolve({});
      }) as unknown as CommandHandler,
      blobs: { put: () => Promise.resolve() } as unknown as MediaBlobStore,
      driverSession: () =>
        ({ profilePicture: () => Promise.resolve(shown.shift()!) }) as unknown as DriverSession,
      knownPicture: () => Promise.resolve(known),
      logger: silentLogger,
      now: () => clock,
    });
    for (let lookup = 0; lookup < 3; lookup++) {
      profiles.takeUpCommitted([received('5511988880001@c.us', 'Ana')]);
      await profiles.drain();
      clock += 25 * 60 * 60 * 1000;
    }
    const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    expect(pictures).toEqual([sha(png), sha(jpeg), sha(png)]);
    expect(known).toBe(sha(png));
  });
});
