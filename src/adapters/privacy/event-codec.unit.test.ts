import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../event-store/port.js';
import type { ContactKeyStore } from './contact-key-store.js';
import { eventCodec, SealedEventUnreadableError } from './event-codec.js';

/** Contact keys in memory, for the codec alone. */
function memoryKeys(): ContactKeyStore & { keys: Map<string, Buffer> } {
  const keys = new Map<string, Buffer>();
  const byContact = new Map<string, string>();
  return {
    keys,
    keyFor(companyId, contact) {
      const name = `${companyId}/${contact}`;
      let keyId = byContact.get(name);
      if (!keyId) {
        keyId = randomUUID();
        byContact.set(name, keyId);
        keys.set(keyId, randomBytes(32));
      }
      return Promise.resolve({ keyId, key: keys.get(keyId)! });
    },
    prepare: () => Promise.resolve(),
    keysById: (ids) =>
      Promise.resolve(new Map(ids.flatMap((id) => (keys.has(id) ? [[id, keys.get(id)!] as const] : [])))),
    destroy: () => Promise.resolve([]),
    forget: () => undefined,
  };
}

const stream = 'chat-s1_5511988887777@c.us';
const edited = {
  id: randomUUID(),
  type: 'MessageEdited',
  data: { waMessageId: 'w1', body: 'segredo', editedAt: 1 },
  metadata: { companyId: 'acme' },
};
const recorded = (data: RecordedEvent['data'], id = edited.id): RecordedEvent => ({
  ...edited,
  id,
  data,
  streamName: stream,
  revision: 0n,
  position: 1n,
  checkpoint: '1',
  recordedAt: new Date(),
});

describe('sealing events', () => {
  it('stores no personal text, and opens back to the event appended', async () => {
    const codec = eventCodec(memoryKeys());
    const [sealed] = await codec.seal(stream, [edited]);
    expect(JSON.stringify(sealed!.data)).not.toContain('segredo');
    expect(sealed!.data.waMessageId).toBe('w1');
    const [opened] = await codec.open([recorded(sealed!.data)]);
    expect(opened!.data).toEqual(edited.data);
  });

  it("leaves a session's events as they are, but a call's caller, sealed under the caller's key", async () => {
    const keys = memoryKeys();
    const codec = eventCodec(keys);
    const event = { ...edited, type: 'SessionRegistered', data: { name: 'x' } };
    expect(await codec.seal('session-s1', [event])).toEqual([event]);
    const call = {
      ...edited,
      type: 'IncomingCallReceived',
      data: { callId: 'c1', from: '5511988887777@c.us', isVideo: false, isGroup: false, timestamp: 1 },
    };
    const [sealed] = await codec.seal('session-s1', [call]);
    expect(JSON.stringify(sealed!.data)).not.toContain('5511988887777');
    const callerKey = (await keys.keyFor('acme', '5511988887777')).keyId;
    expect(sealed!.data.$sealed).toEqual(expect.objectContaining({ k: callerKey, f: ['from'] }));
    const asRecorded = { ...recorded(sealed!.data), type: 'IncomingCallReceived', streamName: 'session-s1' };
    expect((await codec.open([asRecorded]))[0]!.data).toEqual(call.data);
    keys.keys.delete(callerKey);
    expect((await codec.open([asRecorded]))[0]!.data).toEqual({ ...call.data, from: '', erased: true });
  });

  it("seals the number a linked-device id stands for under its key, leaving the contact's keyed hash in clear", async () => {
    const keys = memoryKeys();
    const codec = eventCodec(keys, undefined, (companyId, phone) => `hash:${companyId}:${phone}`);
    const mapping = {
      ...edited,
      type: 'ContactLidMapped',
      data: { lid: '2077@lid', phoneJid: '5511988887777@c.us' },
    };
    const [sealed] = await codec.seal('session-s1', [mapping]);
    expect(JSON.stringify(sealed!.data)).not.toContain('5511988887777@');
    expect(sealed!.data).toMatchObject({ lid: '2077@lid', contactHash: 'hash:acme:5511988887777' });
    const asRecorded = { ...recorded(sealed!.data), type: 'ContactLidMapped', streamName: 'session-s1' };
    const withHash = { ...mapping.data, contactHash: 'hash:acme:5511988887777' };
    expect((await codec.open([asRecorded]))[0]!.data).toEqual(withHash);
    keys.keys.delete((await keys.keyFor('acme', '5511988887777')).keyId);
    expect((await codec.open([asRecorded]))[0]!.data).toEqual({ ...withHash, phoneJid: '', erased: true });
    // A mapping to something other than a phone number names nobody's number: it stays as it is.
    const toLid = { ...mapping, data: { lid: '2077@lid', phoneJid: '2078@lid' } };
    expect(await codec.seal('session-s1', [toLid])).toEqual([toLid]);
  });

  it('reads an event whose key was destroyed as erased', async () => {
    const keys = memoryKeys();
    const codec = eventCodec(keys);
    const [sealed] = await codec.seal(stream, [edited]);
    keys.keys.clear();
    const [opened] = await codec.open([recorded(sealed!.data)]);
    expect(opened!.data).toEqual({ waMessageId: 'w1', body: '', editedAt: 1, erased: true });
  });

  it('refuses sealed fields moved to another event', async () => {
    const codec = eventCodec(memoryKeys());
    const [sealed] = await codec.seal(stream, [edited]);
    await expect(codec.open([recorded(sealed!.data, randomUUID())])).rejects.toThrow(
      SealedEventUnreadableError,
    );
  });

  describe('in a group', () => {
    const groupStream = 'chat-s1_120363000000000001@g.us';
    const groupMessage = {
      id: randomUUID(),
      type: 'MessageReceived',
      data: {
        waMessageId: 'g1',
        chatJid: '120363000000000001@g.us',
        isGroup: true,
        fromMe: false,
        from: '5511988887777@c.us',
        to: '120363000000000001@g.us',
        senderName: 'João Silva',
        senderPhone: '5511988887777',
        chatName: 'Equipe',
        type: 'chat',
        body: 'segredo do João',
        media: null,
        timestamp: 1,
      },
      metadata: { companyId: 'acme' },
    };
    const inGroup = (data: RecordedEvent['data']): RecordedEvent => ({
      ...recorded(data, groupMessage.id),
      type: 'MessageReceived',
      streamName: groupStream,
    });

    it("seals what the author wrote under the author's key, the group's subject under the group's", async () => {
      const keys = memoryKeys();
      const codec = eventCodec(keys);
      const [sealed] = await codec.seal(groupStream, [groupMessage]);
      expect(JSON.stringify(sealed!.data)).not.toMatch(/segredo|João Silva|Equipe|5511988887777/);
      const joaoKey = (await keys.keyFor('acme', '5511988887777')).keyId;
      const groupKey = (await keys.keyFor('acme', 'group:120363000000000001@g.us')).keyId;
      expect(sealed!.data.$sealed).toEqual([
        expect.objectContaining({ k: joaoKey, f: ['from', 'senderPhone', 'body', 'senderName'] }),
        expect.objectContaining({ k: groupKey, f: ['chatName'] }),
      ]);
      const [opened] = await codec.open([inGroup(sealed!.data)]);
      expect(opened!.data).toEqual(groupMessage.data);
    });

    it("reads the message as erased once its author's key is gone, keeping the group's subject", async () => {
      const keys = memoryKeys();
      const codec = eventCodec(keys);
      const [sealed] = await codec.seal(groupStream, [groupMessage]);
      keys.keys.delete((await keys.keyFor('acme', '5511988887777')).keyId);
      const [opened] = await codec.open([inGroup(sealed!.data)]);
      expect(opened!.data).toEqual({
        ...groupMessage.data,
        from: '',
        senderPhone: null,
        body: '',
        senderName: null,
        chatName: 'Equipe',
        erased: true,
      });
    });

    it("seals an edit under the key of the edited message's author, as the lookup names it", async () => {
      const keys = memoryKeys();
      const authors = (_session: string, waMessageId: string) =>
        Promise.resolve(waMessageId === 'g1' ? { from: '5511988887777@c.us', fromMe: false } : undefined);
      const codec = eventCodec(keys, authors);
      const edit = (waMessageId: string) => ({
        ...edited,
        id: randomUUID(),
        data: { waMessageId, body: 'novo', editedAt: 2 },
        metadata: { companyId: 'acme', sessionId: 's1' },
      });
      const [ofJoao, unknown] = await codec.seal(groupStream, [edit('g1'), edit('g2')]);
      const joaoKey = (await keys.keyFor('acme', '5511988887777')).keyId;
      const groupKey = (await keys.keyFor('acme', 'group:120363000000000001@g.us')).keyId;
      expect(ofJoao!.data.$sealed).toEqual(expect.objectContaining({ k: joaoKey, f: ['body'] }));
      expect(unknown!.data.$sealed).toEqual(expect.objectContaining({ k: groupKey }));
    });

    it('seals a reaction, who made it and its emoji, under the key of whoever reacted', async () => {
      const keys = memoryKeys();
      const codec = eventCodec(keys);
      const reaction = {
        id: randomUUID(),
        type: 'MessageReacted',
        data: { waMessageId: 'g1', reactionId: 'r1', from: '5511988887777@c.us', emoji: '👍', timestamp: 2 },
        metadata: { companyId: 'acme' },
      };
      const [sealed] = await codec.seal(groupStream, [reaction]);
      expect(JSON.stringify(sealed!.data)).not.toMatch(/5511988887777|👍/);
      const joaoKey = (await keys.keyFor('acme', '5511988887777')).keyId;
      expect(sealed!.data.$sealed).toEqual(expect.objectContaining({ k: joaoKey, f: ['from', 'emoji'] }));
      keys.keys.delete(joaoKey);
      const [opened] = await codec.open([{ ...inGroup(sealed!.data), type: 'MessageReacted' }]);
      expect(opened!.data).toEqual({ ...reaction.data, from: '', emoji: '', erased: true });
    });

    it("keeps the session's own messages under the group's key", async () => {
      const keys = memoryKeys();
      const codec = eventCodec(keys);
      const own = { ...groupMessage, data: { ...groupMessage.data, fromMe: true } };
      const [sealed] = await codec.seal(groupStream, [own]);
      const groupKey = (await keys.keyFor('acme', 'group:120363000000000001@g.us')).keyId;
      expect(sealed!.data.$sealed).toEqual(expect.objectContaining({ k: groupKey }));
    });

    it('still opens a group message stored before, sealed whole under the group key', async () => {
      const keys = memoryKeys();
      const codec = eventCodec(keys);
      // As the codec stored it before authors had keys of their own in groups: one part, the group's key.
      const [sealed] = await eventCodec({
        ...keys,
        keyFor: (companyId) => keys.keyFor(companyId, 'group:120363000000000001@g.us'),
      }).seal('chat-s1_120363000000000001@c.us', [groupMessage]);
      const [opened] = await codec.open([
        { ...inGroup(sealed!.data), streamName: 'chat-s1_120363000000000001@c.us' },
      ]);
      expect(opened!.data).toEqual(groupMessage.data);
    });
  });
});
