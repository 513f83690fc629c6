import { EventStoreDBClient } from '@eventstore/db-client';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../scripts/verify-bundle.mjs';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../../../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { event } from '../event-store/event-store-contract-fixture.js';
import { createEventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store.js';
import type { EventToAppend } from '../event-store/port.js';
import { anchorEventStoreDb } from './eventstoredb-anchors.js';
import { followEventStoreDbAudit } from './eventstoredb-audit-follower.js';
import { eventStoreDbBundleEvents } from './eventstoredb-bundle-events.js';
import { eventStoreDbSessionAuditPage } from './eventstoredb-session-audit-page.js';
import { writeSessionBundle } from './session-bundle.js';
import { loadAnchorSigningKey, type AnchorSigningKey } from './signing-key-store.js';
import { verifyEventStoreDbStore } from './verify-eventstoredb-store.js';

let testDatabase: MigratedTestDatabase;
let key: AnchorSigningKey;
const running: { emulator: EventStoreDbEmulator; client: EventStoreDBClient; close: () => Promise<void> }[] =
  [];

const db = () => testDatabase.database.db;

/** An EventStoreDB with `streams` appended through the store (so chained), and a raw client on it. */
async function eventStore(streams: Record<string, EventToAppend[]>) {
  const emulator = await startEventStoreDbEmulator();
  const store = createEventStoreDbEventStore(emulator.connectionString);
  const client = EventStoreDBClient.connectionString(emulator.connectionString);
  for (const [name, events] of Object.entries(streams)) await store.append(name, events, 'no_stream');
  const handle = {
    emulator,
    client,
    store,
    close: async () => {
      await client.dispose();
      await store.close();
      await emulator.stop();
    },
  };
  running.push(handle);
  return handle;
}

const ofCompany = (companyId: string, appended: EventToAppend): EventToAppend => ({
  ...appended,
  metadata: { ...appended.metadata, companyId, sessionId: 's1' },
});
const a = [event('A0'), event('A1'), event('A2')].map((e) => ofCompany('c1', e));
const b = [event('B0')];

describe('anchors on the EventStoreDB store', () => {
  beforeEach(async () => {
    testDatabase = await openMigratedTestDatabase('postgres', 'esdb_anchors');
    key = await loadAnchorSigningKey(db(), undefined);
  });

  afterEach(async () => {
    for (const handle of running.splice(0)) await handle.close();
    await testDatabase.dispose();
  });

  it('follows $all into the heads, anchors only what changed, and verifies chains against anchors', async () => {
    const esdb = await eventStore({ 'session-s1': a, 'chat-s1_x': b });
    expect(await anchorEventStoreDb(db(), esdb.client, key)).toMatchObject({ sequence: 1, headCount: 2 });
    expect(await anchorEventStoreDb(db(), esdb.client, key)).toBeNull();
    await esdb.store.append('chat-s1_x', [event('B1')], 0n);
    expect(await anchorEventStoreDb(db(), esdb.client, key)).toMatchObject({ sequence: 2, headCount: 1 });
    const { rows } = await sql<{ stream_name: string; revision: string; anchored_revision: string }>`
      select stream_name, revision::text as revision, anchored_revision::text as anchored_revision
      from eventstoredb_audit_heads order by stream_name`.execute(db());
    expect(rows).toEqual([
      { stream_name: 'chat-s1_x', revision: '1', anchored_revision: '1' },
      { stream_name: 'session-s1', revision: '2', anchored_revision: '2' },
    ]);
    const report = await verifyEventStoreDbStore(esdb.client, { db: db(), expectedPublicKey: key.publicKey });
    expect(report).toMatchObject({ firstBreak: null, events: 5, streams: 2, anchors: 2, anchoredEvents: 5 });
    expect(report.publicKeys).toEqual([key.publicKey]);
  });

  it('reads $all in pages from its checkpoint, without reading an event twice', async () => {
    const esdb = await eventStore({ 'session-s1': a });
    expect(await followEventStoreDbAudit(db(), esdb.client, 2)).toBe(3);
    await esdb.store.append('session-s1', [event('A3')], 2n);
    expect(await followEventStoreDbAudit(db(), esdb.client, 2)).toBe(1);
    expect(await followEventStoreDbAudit(db(), esdb.client, 2)).toBe(0);
  });

  it('names an anchor whose heads were changed in PostgreSQL, and one whose payload was', async () => {
    const esdb = await eventStore({ 'session-s1': a, 'chat-s1_x': b });
    await anchorEventStoreDb(db(), esdb.client, key);
    await sql`update audit_anchor_heads set revision = 1 where stream_name = 'session-s1'`.execute(db());
    expect((await verifyEventStoreDbStore(esdb.client, { db: db() })).firstBreak).toMatchObject({
      anchor: 1,
      problem: 'the heads stored with the anchor are not those it signed',
    });
    await sql`update audit_anchor_heads set revision = 2 where stream_name = 'session-s1'`.execute(db());
    await sql`update audit_anchors set payload = replace(payload, '"headCount":2', '"headCount":3')`.execute(
      db(),
    );
    expect((await verifyEventStoreDbStore(esdb.client, { db: db() })).firstBreak).toMatchObject({
      anchor: 1,
      problem: 'the signature does not match the anchor',
    });
  });

  // The emulator cannot change a stored event: a rewritten store is another EventStoreDB holding the doctored
  // history, its chains recomputed by the store, checked against the anchors the first one was signed under.
  it.each([
    ['changed', [a[0]!, event('A1', { forged: true }), a[2]!]],
    ['reordered', [a[1]!, a[0]!, a[2]!]],
  ])('names the anchored head of a stream %s and re-chained', async (_how, doctored) => {
    const original = await eventStore({ 'session-s1': a });
    await anchorEventStoreDb(db(), original.client, key);
    const rewritten = await eventStore({ 'session-s1': doctored });
    const report = await verifyEventStoreDbStore(rewritten.client, { db: db() });
    expect(report.firstBreak).toMatchObject({
      streamName: 'session-s1',
      revision: '2',
      anchor: 1,
      problem: 'anchor 1 signed another hash for this event: the stream was rewritten',
    });
  });

  it('names an anchored event that was removed', async () => {
    const original = await eventStore({ 'session-s1': a });
    await anchorEventStoreDb(db(), original.client, key);
    const cut = await eventStore({ 'session-s1': a.slice(0, 2) });
    expect((await verifyEventStoreDbStore(cut.client, { db: db() })).firstBreak).toMatchObject({
      streamName: 'session-s1',
      revision: '2',
      anchor: 1,
      problem: 'anchor 1 signed this event, and the stream no longer has it',
    });
  });

  it('exports a session as a bundle that verifies offline, and fails with one byte changed', async () => {
    const esdb = await eventStore({
      'session-s1': [event('SessionRegistered', { name: 'Loja' })],
      'chat-s1_5511@c.us': [event('MessageReceived', { body: 'olá, tudo bem?' })],
      'chat-other_5511@c.us': [event('MessageReceived', { body: 'not this one' })],
    });
    await anchorEventStoreDb(db(), esdb.client, key);
    await esdb.store.append('chat-s1_5511@c.us', [event('MessageReceived', { body: 'second' })], 0n);
    await anchorEventStoreDb(db(), esdb.client, key);
    const lines: string[] = [];
    const written = await writeSessionBundle(
      db(),
      's1',
      (line) => {
        lines.push(line);
        return Promise.resolve();
      },
      eventStoreDbBundleEvents(esdb.client, 1n),
    );
    expect(written).toEqual({ streams: 2, events: 3 });
    const bundle = `${lines.join('\n')}\n`;
    expect(bundle).not.toContain('not this one');
    expect(bundle).not.toContain('auditChain');
    expect(verifyBundle(bundle, { publicKey: key.publicKey })).toMatchObject({
      events: 3,
      streams: 2,
      anchors: 2,
    });
    const at = bundle.indexOf('tudo bem');
    const changed = `${bundle.slice(0, at)}Tudo bem${bundle.slice(at + 'tudo bem'.length)}`;
    expect(() => verifyBundle(changed, { publicKey: key.publicKey })).toThrow(/line \d+/);
  });

  it("shows a session's events with their hash and whether an anchor covers them", async () => {
    const esdb = await eventStore({
      'session-s1': [...a.slice(0, 2)],
      'chat-other_y': b,
      'chat-s1_z': [ofCompany('c2', event('OtherCompany'))],
    });
    await anchorEventStoreDb(db(), esdb.client, key);
    await esdb.store.append('session-s1', [a[2]!], 1n);
    const page = await eventStoreDbSessionAuditPage(esdb.client, db(), {
      companyId: 'c1',
      sessionId: 's1',
      limit: 10,
    });
    expect(page.next).toBeNull();
    expect(page.events.map(({ event: e, anchored }) => [e.type, anchored])).toEqual([
      ['A0', true],
      ['A1', true],
      ['A2', false],
    ]);
    for (const audited of page.events) expect(audited.hash).toMatch(/^[0-9a-f]{64}$/);
    const query = { companyId: 'c1', sessionId: 's1', limit: 2 };
    const first = await eventStoreDbSessionAuditPage(esdb.client, db(), query);
    expect(first.events.map(({ event: e }) => e.type)).toEqual(['A0', 'A1']);
    const second = await eventStoreDbSessionAuditPage(esdb.client, db(), { ...query, after: first.next! });
    expect(second.events.map(({ event: e }) => e.type)).toEqual(['A2']);
    expect(second.next).toBeNull();
    const verified = await verifyEventStoreDbStore(esdb.client);
    expect(verified.firstBreak).toBeNull();
  });
});
