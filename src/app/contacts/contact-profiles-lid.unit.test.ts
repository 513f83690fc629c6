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
const ana = '5511988880001@c.us';
const anaLid = '204981112223334@lid';
const group = '120363000000000000@g.us';

/** A message from Ana as the gateway records it: WhatsApp addressed her by her linked-device id, or not. */
function fromAna(options: { lid?: string; chatJid?: string } = {}): RecordedEvent {
  const chatJid = options.chatJid ?? ana;
  return {
    id: `event-${Math.random()}`,
    type: 'MessageReceived',
    data: {
      chatJid,
      isGroup: chatJid.endsWith('@g.us'),
      from: ana,
      fromMe: false,
      senderPhone: '5511988880001',
      senderName: null,
      ...(options.lid ? { senderLid: options.lid } : {}),
    },
    metadata: { sessionId: 's1', companyId: 'acme' },
  } as unknown as RecordedEvent;
}

/** WhatsApp knows Ana's picture and contact-list entry only under the addresses given. */
function world(known: { pictures: string[]; names: string[] }) {
  const commands: { type: string; [key: string]: unknown }[] = [];
  const asked: string[] = [];
  const session = {
    profilePicture: (jid: string) => {
      asked.push(`picture ${jid}`);
      return Promise.resolve(known.pictures.includes(jid) ? png : null);
    },
    contactName: (jid: string) => {
      asked.push(`name ${jid}`);
      return Promise.resolve(known.names.includes(jid) ? 'Ana' : null);
    },
  } as DriverSession;
  const profiles = createContactProfiles({
    handle: ((_type: unknown, stream: string, command: { type: string }) => {
      commands.push({ ...command, stream });
      return Promise.resolve({});
    }) as unknown as CommandHandler,
    blobs: { put: () => Promise.resolve() } as unknown as MediaBlobStore,
    driverSession: () => session,
    knownPicture: () => Promise.resolve(null),
    logger: silentLogger,
    retryInitialMs: 1,
  });
  return { profiles, commands, asked };
}

describe('contact profiles of contacts WhatsApp addresses by a linked-device id', () => {
  it('keeps the picture and name WhatsApp knows only under the linked-device id, under the phone', async () => {
    const { profiles, commands } = world({ pictures: [anaLid], names: [anaLid] });
    profiles.takeUpCommitted([fromAna({ lid: anaLid })]);
    await profiles.drain();
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'RecordContactPicture',
        contactJid: ana,
        phone: '5511988880001',
        sha256,
      }),
      expect.objectContaining({ type: 'RecordContactName', contactJid: ana, name: 'Ana' }),
    ]);
  });

  it('asks by the phone address first, and by the linked-device id only when that answered nothing', async () => {
    const { profiles, asked } = world({ pictures: [ana], names: [anaLid] });
    profiles.takeUpCommitted([fromAna({ lid: anaLid })]);
    await profiles.drain();
    expect(asked).toEqual([`picture ${ana}`, `name ${ana}`, `name ${anaLid}`]);
  });

  it('keeps the picture of a group author, on the author’s own chat', async () => {
    const { profiles, commands } = world({ pictures: [anaLid], names: [] });
    profiles.takeUpCommitted([fromAna({ lid: anaLid, chatJid: group })]);
    await profiles.drain();
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'RecordContactPicture',
        chatJid: ana,
        stream: expect.stringContaining(ana),
      }),
    ]);
  });
});
