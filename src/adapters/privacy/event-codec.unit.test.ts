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

  it('leaves events outside chats as they are', async () => {
    const codec = eventCodec(memoryKeys());
    const event = { ...edited, type: 'SessionRegistered', data: { name: 'x' } };
    expect(await codec.seal('session-s1', [event])).toEqual([event]);
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
});
