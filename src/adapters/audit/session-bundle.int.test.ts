import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../scripts/verify-bundle.mjs';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { event } from '../event-store/event-store-contract-fixture.js';
import { createPostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { writeAnchor } from './postgres-anchors.js';
import { writeSessionBundle } from './session-bundle.js';
import { loadAnchorSigningKey, type AnchorSigningKey } from './signing-key-store.js';

let testDatabase: MigratedTestDatabase;
let key: AnchorSigningKey;
let bundle: string;

async function exportBundle(sessionId: string): Promise<string> {
  const lines: string[] = [];
  await writeSessionBundle(testDatabase.database.db, sessionId, (line) => {
    lines.push(line);
    return Promise.resolve();
  });
  return `${lines.join('\n')}\n`;
}

describe('the signed export of a session', () => {
  beforeAll(async () => {
    testDatabase = await openMigratedTestDatabase('postgres', 'audit_bundle');
    const store = createPostgresEventStore(testDatabase.database);
    const db = testDatabase.database.db;
    key = await loadAnchorSigningKey(db, undefined);
    await store.append('session-s1', [event('SessionRegistered', { name: 'Loja' })], 'no_stream');
    await store.append(
      'chat-s1_5511@c.us',
      [event('MessageReceived', { body: 'olá, tudo bem?' })],
      'no_stream',
    );
    await store.append(
      'chat-other_5511@c.us',
      [event('MessageReceived', { body: 'not this one' })],
      'no_stream',
    );
    await writeAnchor(db, key);
    // Anchored later, in another anchor: the bundle carries both.
    await store.append('chat-s1_5511@c.us', [event('MessageReceived', { body: 'second' })], 0n);
    await store.append(
      'chat-s1_5522@c.us',
      [event('MessageReceived', { body: 'another chat' })],
      'no_stream',
    );
    await writeAnchor(db, key);
    await store.close();
    bundle = await exportBundle('s1');
  });

  afterAll(async () => {
    await testDatabase?.dispose();
  });

  it('verifies offline with the published key, holding the session’s streams and no other', () => {
    expect(verifyBundle(bundle, { publicKey: key.publicKey })).toEqual({
      sessionId: 's1',
      streams: 3,
      events: 4,
      anchors: 2,
      publicKeys: [key.publicKey],
    });
    expect(bundle).not.toContain('not this one');
  });

  it('fails with any one byte changed', () => {
    const bytes = Buffer.from(bundle, 'utf8');
    const passed: number[] = [];
    for (let at = 0; at < bytes.length; at++) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at] === 0x41 ? 0x42 : 0x41;
      try {
        verifyBundle(changed.toString('utf8'));
        passed.push(at);
      } catch {
        // refused, as it must be
      }
    }
    expect(passed).toEqual([]);
  });

  it('fails when the expected key is another', () =>
    expect(() => verifyBundle(bundle, { publicKey: 'A'.repeat(43) + '=' })).toThrow(
      /not by the expected key/,
    ));
});
