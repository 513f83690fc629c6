import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { event } from '../event-store/event-store-contract-fixture.js';
import { createPostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { EventStore } from '../event-store/port.js';
import { backfillEventHashes } from './backfill-event-hashes.js';
import { writeAnchor } from './postgres-anchors.js';
import { loadAnchorSigningKey } from './signing-key-store.js';
import { verifyPostgresStore } from './verify-postgres-store.js';

let testDatabase: MigratedTestDatabase;
let store: EventStore;

const db = () => testDatabase.database.db;

/** Raw SQL as someone with database access would run it, the immutability trigger lifted. */
async function tamper(statement: string): Promise<void> {
  await sql.raw('alter table events disable trigger events_immutable').execute(db());
  await sql.raw(statement).execute(db());
  await sql.raw('alter table events enable trigger events_immutable').execute(db());
}

/** Two streams of three events each, the first anchored, then one more event in each. */
async function history(): Promise<void> {
  await Promise.all([
    store.append('chat-s1_a', [event('A0'), event('A1'), event('A2')], 'no_stream'),
    store.append('chat-s1_b', [event('B0'), event('B1'), event('B2')], 'no_stream'),
  ]);
  await writeAnchor(db(), await loadAnchorSigningKey(db(), undefined));
  await Promise.all([
    store.append('chat-s1_a', [event('A3')], 2n),
    store.append('chat-s1_b', [event('B3')], 2n),
  ]);
}

const eventId = async (stream: string, revision: number) =>
  (
    await sql<{ id: string }>`select event_id::text as id from events
      where stream_name = ${stream} and stream_revision = ${revision}`.execute(db())
  ).rows[0]!.id;

describe('verifying the PostgreSQL store', () => {
  beforeEach(async () => {
    testDatabase = await openMigratedTestDatabase('postgres', 'audit_verify');
    store = createPostgresEventStore(testDatabase.database);
  });

  afterEach(async () => {
    await store.close();
    await testDatabase.dispose();
  });

  it('finds an untouched store intact, and counts what it checked', async () => {
    await history();
    const report = await verifyPostgresStore(db());
    expect(report.firstBreak).toBeNull();
    expect(report).toMatchObject({ events: 8, streams: 2, anchors: 1, anchoredEvents: 6 });
    expect(report.publicKeys).toHaveLength(1);
  });

  it('names an event whose data was changed', async () => {
    await history();
    const changed = await eventId('chat-s1_a', 1);
    await tamper(`update events set data = '{"value":"forged"}' where event_id = '${changed}'`);
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_a', revision: '1', eventId: changed });
  });

  it('names the event after one that was deleted', async () => {
    await history();
    await tamper(`delete from events where stream_name = 'chat-s1_b' and stream_revision = 1`);
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_b', revision: '2' });
    expect(firstBreak?.problem).toMatch(/missing or were inserted/);
  });

  it('notices that the last events of a stream were deleted', async () => {
    await history();
    await tamper(`delete from events where stream_name = 'chat-s1_b' and stream_revision = 3`);
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_b', revision: '2' });
  });

  it('notices a stream whose events were all deleted', async () => {
    await history();
    await tamper(`delete from events where stream_name = 'chat-s1_b'`);
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_b' });
  });

  it('names an event that was inserted', async () => {
    await history();
    // Through negative revisions: the unique (stream, revision) constraint is checked row by row.
    await tamper(`update events set stream_revision = -stream_revision - 1
      where stream_name = 'chat-s1_a' and stream_revision >= 2`);
    await tamper(`update events set stream_revision = -stream_revision
      where stream_name = 'chat-s1_a' and stream_revision < 0`);
    await tamper(`insert into events (event_id, stream_name, stream_revision, event_type, data, metadata, hash)
      values (gen_random_uuid(), 'chat-s1_a', 2, 'Forged', '{}', '{}', sha256('x'))`);
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_a', revision: '2' });
  });

  it('names the first of two events whose revisions were swapped', async () => {
    await history();
    await tamper(`update events set stream_revision = case stream_revision when 1 then -1 else 1 end
      where stream_name = 'chat-s1_b' and stream_revision in (1, 2)`);
    await tamper(
      `update events set stream_revision = 2 where stream_name = 'chat-s1_b' and stream_revision = -1`,
    );
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_b', revision: '1' });
  });

  it('catches an anchored stream rewritten with freshly computed hashes', async () => {
    await history();
    await tamper(`update events set data = '{"value":"forged"}'
      where stream_name = 'chat-s1_a' and stream_revision = 0`);
    // Whoever knows the hashing rehashes every event of the stream; only the signed anchor still remembers.
    await tamper(`update events set hash = null where stream_name = 'chat-s1_a'`);
    await tamper(`update streams set head_hash = null where stream_name = 'chat-s1_a'`);
    await rehashAllEvents();
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ streamName: 'chat-s1_a', revision: '2' });
    expect(firstBreak?.problem).toMatch(/anchor signed/);
  });

  it('refuses an anchor whose signature does not match', async () => {
    await history();
    await sql`update audit_anchors set payload = replace(payload, '"headCount":2', '"headCount":3')`.execute(
      db(),
    );
    const { firstBreak } = await verifyPostgresStore(db());
    expect(firstBreak).toMatchObject({ anchor: 1 });
  });

  it('refuses anchors signed by another key than the expected one', async () => {
    await history();
    const { firstBreak } = await verifyPostgresStore(db(), { expectedPublicKey: 'AAAA' });
    expect(firstBreak?.problem).toMatch(/not by the expected key/);
  });

  it('hashes events stored before hashing existed', async () => {
    await tamper(`insert into events (event_id, stream_name, stream_revision, event_type, data, metadata)
      values (gen_random_uuid(), 'session-old', 0, 'Old', '{"b":1,"a":[true,null]}', '{}'),
             (gen_random_uuid(), 'session-old', 1, 'Old', '{}', '{"x":"é"}')`);
    await sql`insert into streams (stream_name, revision) values ('session-old', 1)`.execute(db());
    expect((await verifyPostgresStore(db())).firstBreak).not.toBeNull();
    await rehashAllEvents();
    await store.append('session-old', [event('New')], 1n);
    expect(await verifyPostgresStore(db())).toMatchObject({ firstBreak: null, events: 3 });
  });

  it('generates one signing key when several processes ask at once, and keeps it', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadAnchorSigningKey(db(), undefined)));
    expect(new Set(keys.map((key) => key.publicKey)).size).toBe(1);
    expect((await loadAnchorSigningKey(db(), undefined)).publicKey).toBe(keys[0]!.publicKey);
  });

  it('anchors only the streams that changed since the previous anchor', async () => {
    await history();
    const key = await loadAnchorSigningKey(db(), undefined);
    expect(await writeAnchor(db(), key)).toMatchObject({ sequence: 2, headCount: 2 });
    expect(await writeAnchor(db(), key)).toBeNull();
    await store.append('chat-s1_a', [event('A4')], 3n);
    expect(await writeAnchor(db(), key)).toMatchObject({ sequence: 3, headCount: 1 });
    expect(await verifyPostgresStore(db())).toMatchObject({
      firstBreak: null,
      anchors: 3,
      anchoredEvents: 9,
    });
  });
});

async function rehashAllEvents(): Promise<void> {
  await sql.raw('alter table events disable trigger events_immutable').execute(db());
  await backfillEventHashes(db());
  await sql.raw('alter table events enable trigger events_immutable').execute(db());
}

describe('on PGlite', () => {
  it('chains, anchors and verifies with the same SQL', async () => {
    testDatabase = await openMigratedTestDatabase('pglite', 'audit_verify');
    store = createPostgresEventStore(testDatabase.database);
    try {
      await history();
      expect(await verifyPostgresStore(db())).toMatchObject({ firstBreak: null, events: 8, anchors: 1 });
      const changed = await eventId('chat-s1_b', 3);
      await tamper(`update events set metadata = '{}' where event_id = '${changed}'`);
      expect((await verifyPostgresStore(db())).firstBreak).toMatchObject({ eventId: changed });
    } finally {
      await store.close();
      await testDatabase.dispose();
    }
  }, 120_000);
});
