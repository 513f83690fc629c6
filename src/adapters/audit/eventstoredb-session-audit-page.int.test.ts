import { EventStoreDBClient } from '@eventstore/db-client';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countingEventStoreDbClient } from '../../../test-support/counting-eventstoredb-client.js';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../../../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { event } from '../event-store/event-store-contract-fixture.js';
import { isSamePosition } from '../event-store/eventstoredb/checkpoint.js';
import { createEventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store.js';
import type { EventStore, EventToAppend } from '../event-store/port.js';
import { writeEventStoreDbAnchor } from './eventstoredb-anchors.js';
import { followEventStoreDbAudit, readAuditFollowerCheckpoint } from './eventstoredb-audit-follower.js';
import { eventStoreDbSessionAuditPage } from './eventstoredb-session-audit-page.js';
import { sessionIndexQuery } from './eventstoredb-session-index.js';
import { loadAnchorSigningKey } from './signing-key-store.js';

let testDatabase: MigratedTestDatabase;
let emulator: EventStoreDbEmulator;
let store: EventStore;
let client: EventStoreDBClient;
const db = () => testDatabase.database.db;

const of = (companyId: string, sessionId: string, type: string): EventToAppend => {
  const appended = event(type);
  return { ...appended, metadata: { ...appended.metadata, companyId, sessionId } };
};

/** Appends each `[stream, event]` in turn, so that two companies' sessions interleave in `$all`. */
async function appendInTurn(appends: [string, EventToAppend][]) {
  for (const [stream, appended] of appends) await store.append(stream, [appended], 'any');
}

// Company c1's session s1 and company c2's session s2, interleaved; and an event of c2 that claims session s1.
const history: [string, EventToAppend][] = [
  ['session-s1', of('c1', 's1', 'S1Registered')],
  ['session-s2', of('c2', 's2', 'S2Registered')],
  ['chat-s1_a', of('c1', 's1', 'S1MessageA1')],
  ['chat-s2_b', of('c2', 's2', 'S2MessageB1')],
  ['chat-s1_a', of('c1', 's1', 'S1MessageA2')],
  ['chat-s1_z', of('c2', 's1', 'OtherCompanyClaimsS1')],
  ['session-s2', of('c2', 's2', 'S2Connected')],
  ['session-s1', of('c1', 's1', 'S1Connected')],
  ['chat-s2_b', of('c2', 's2', 'S2MessageB2')],
];
const s1Types = ['S1Registered', 'S1MessageA1', 'S1MessageA2', 'S1Connected'];

/** Every page of c1's session s1, following `next`. */
async function allPages(pageClient: EventStoreDBClient, limit: number, maxTailScanned?: number) {
  const pages: { types: string[]; anchored: boolean[]; hashes: (string | null)[]; next: string | null }[] =
    [];
  let after: string | undefined;
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await eventStoreDbSessionAuditPage(
      pageClient,
      db(),
      { companyId: 'c1', sessionId: 's1', limit, ...(after === undefined ? {} : { after }) },
      maxTailScanned,
    );
    pages.push({
      types: page.events.map(({ event: e }) => e.type),
      anchored: page.events.map(({ anchored }) => anchored),
      hashes: page.events.map(({ hash }) => hash),
      next: page.next,
    });
    if (page.next === null) return pages;
    after = page.next;
  }
  throw new Error('the pages never ended');
}

describe('the audit page on the EventStoreDB store', () => {
  beforeEach(async () => {
    testDatabase = await openMigratedTestDatabase('postgres', 'esdb_audit_page');
    emulator = await startEventStoreDbEmulator();
    store = createEventStoreDbEventStore(emulator.connectionString);
    client = EventStoreDBClient.connectionString(emulator.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await store.close();
    await emulator.stop();
    await testDatabase.dispose();
  });

  it("pages one session's events by the index, in $all order, with hash and anchored, across pages", async () => {
    await appendInTurn(history);
    await followEventStoreDbAudit(db(), client);
    await writeEventStoreDbAnchor(db(), await loadAnchorSigningKey(db(), undefined));
    await appendInTurn([['chat-s1_a', of('c1', 's1', 'S1MessageA3')]]);
    await followEventStoreDbAudit(db(), client);

    const pages = await allPages(client, 2);
    expect(pages.map(({ types }) => types)).toEqual([
      ['S1Registered', 'S1MessageA1'],
      ['S1MessageA2', 'S1Connected'],
      ['S1MessageA3'],
    ]);
    expect(pages.flatMap(({ anchored }) => anchored)).toEqual([true, true, true, true, false]);
    for (const hash of pages.flatMap(({ hashes }) => hashes)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pages.map(({ next }) => next === null)).toEqual([false, false, true]);
  });

  it("reads no other tenant's event: the index gives the session's, its streams give them", async () => {
    await appendInTurn(history);
    await followEventStoreDbAudit(db(), client);
    const indexedUpTo = (await readAuditFollowerCheckpoint(db()))!;
    const counting = countingEventStoreDbClient(client);

    const pages = await allPages(counting.client, 3);

    expect(pages.flatMap(({ types }) => types)).toEqual(s1Types);
    // `$all` is read only from the index's checkpoint on (to look for what it has not reached), and reading
    // from a position starts with the event at it, which is passed over unseen.
    for (const from of counting.readAllFrom) expect(from).toEqual(indexedUpTo);
    const othersRead = counting.delivered.filter(
      (read) => read.companyId !== 'c1' && !(read.position && isSamePosition(read.position, indexedUpTo)),
    );
    expect(othersRead).toEqual([]);
    expect(
      counting.delivered.filter((read) => read.read === 'readStream').map((read) => read.streamName),
    ).toEqual(expect.arrayContaining(['session-s1', 'chat-s1_a']));
  });

  it('reads consecutive revisions of one stream in one read', async () => {
    await appendInTurn(history);
    await followEventStoreDbAudit(db(), client);
    const counting = countingEventStoreDbClient(client);
    await eventStoreDbSessionAuditPage(counting.client, db(), {
      companyId: 'c1',
      sessionId: 's1',
      limit: 10,
    });
    expect(counting.streamsRead.sort()).toEqual(['chat-s1_a', 'session-s1']);
  });

  it('shows events appended after the index checkpoint at once, and the same once they are indexed', async () => {
    await appendInTurn(history);
    await followEventStoreDbAudit(db(), client);
    await appendInTurn([
      ['chat-s2_b', of('c2', 's2', 'S2MessageB3')],
      ['chat-s1_c', of('c1', 's1', 'S1MessageC1')],
      ['session-s1', of('c1', 's1', 'S1Disconnected')],
    ]);
    const query = { companyId: 'c1', sessionId: 's1', limit: 10 };

    const beforeIndexed = await eventStoreDbSessionAuditPage(client, db(), query);
    expect(beforeIndexed.events.map(({ event: e }) => e.type)).toEqual([
      ...s1Types,
      'S1MessageC1',
      'S1Disconnected',
    ]);
    expect(beforeIndexed.next).toBeNull();

    // A page that ends in the tail goes on from there, whether the follower moved meanwhile or not.
    const first = await eventStoreDbSessionAuditPage(client, db(), { ...query, limit: 5 });
    expect(first.events.at(-1)?.event.type).toBe('S1MessageC1');
    await followEventStoreDbAudit(db(), client);
    const second = await eventStoreDbSessionAuditPage(client, db(), { ...query, after: first.next! });
    expect(second.events.map(({ event: e }) => e.type)).toEqual(['S1Disconnected']);

    const afterIndexed = await eventStoreDbSessionAuditPage(client, db(), query);
    expect(afterIndexed.events.map(({ event: e }) => [e.type, e.checkpoint, e.revision])).toEqual(
      beforeIndexed.events.map(({ event: e }) => [e.type, e.checkpoint, e.revision]),
    );
    expect(afterIndexed.events.map(({ hash }) => hash)).toEqual(beforeIndexed.events.map(({ hash }) => hash));
  });

  it('indexes all history from the start of $all on its first run, a page at a time', async () => {
    await appendInTurn(history);
    expect(await followEventStoreDbAudit(db(), client, 2)).toBe(history.length);
    const { rows } = await sql<{ company_id: string; session_id: string; count: string }>`
      select company_id, session_id, count(*)::text as count from eventstoredb_audit_index
      group by company_id, session_id order by company_id, session_id`.execute(db());
    expect(rows).toEqual([
      { company_id: 'c1', session_id: 's1', count: '4' },
      { company_id: 'c2', session_id: 's1', count: '1' },
      { company_id: 'c2', session_id: 's2', count: '4' },
    ]);
  });

  it('reads at most maxTailScanned events of an unindexed tail per page, and says where to go on', async () => {
    await appendInTurn(history);
    const pages = await allPages(client, 10, 3);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap(({ types }) => types)).toEqual(s1Types);
  });

  it("pages by the index's key, reading none of the other tenants' rows", async () => {
    await sql`
      insert into eventstoredb_audit_index
        (company_id, session_id, commit_position, prepare_position, stream_name, revision, hash)
      select case when n % 100 = 0 then 'c1' else 'c' || (n % 7) end, 's' || (n % 100), n, n,
        'session-s' || (n % 100), n / 100, null
      from generate_series(1, 20000) as n`.execute(db());
    await sql`analyze eventstoredb_audit_index`.execute(db());
    const upTo = { commit: 20_000n, prepare: 20_000n };
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off) ${sessionIndexQuery(
      { companyId: 'c1', sessionId: 's0', limit: 100 },
      { commit: 5_000n, prepare: 5_000n },
      upTo,
    )}`.execute(db());
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('eventstoredb_audit_index_pkey');
    expect(plan).not.toMatch(/Rows Removed by Filter: [1-9]/);
    expect(plan).toMatch(
      /Index Cond: \(\(company_id = 'c1'::text\) AND \(session_id = 's0'::text\) AND \(ROW/,
    );
  });

  it('keeps the checkpoint from moving back when a follower that lags writes after one that is through', async () => {
    await appendInTurn(history);
    await followEventStoreDbAudit(db(), client);
    const end = (await readAuditFollowerCheckpoint(db()))!;
    await sql`delete from eventstoredb_audit_checkpoint`.execute(db());
    // The lagging follower read no checkpoint; the other one gets through before its first page is read.
    let reads = 0;
    const seenOnSecondRead: unknown[] = [];
    const lagging = new Proxy(client, {
      get(target, property) {
        if (property !== 'readAll') return Reflect.get(target, property) as unknown;
        return (options: Parameters<EventStoreDBClient['readAll']>[0]) => {
          reads += 1;
          const read = async function* () {
            if (reads === 1) await followEventStoreDbAudit(db(), client);
            if (reads === 2) seenOnSecondRead.push(await readAuditFollowerCheckpoint(db()));
            yield* target.readAll(options);
          };
          return read();
        };
      },
    });
    await followEventStoreDbAudit(db(), lagging, 2);
    expect(seenOnSecondRead).toEqual([end]);
    expect(await readAuditFollowerCheckpoint(db())).toEqual(end);
  });
});
