import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { eventually } from '../../../test-support/eventually.js';
import { createPostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { EventToAppend } from '../event-store/port.js';
import { writeAnchor } from './postgres-anchors.js';
import { sessionAuditPage, sessionAuditQuery } from './session-audit-page.js';
import { loadAnchorSigningKey } from './signing-key-store.js';

let testDatabase: MigratedTestDatabase;

const event = (companyId: string, sessionId: string, type: string): EventToAppend => {
  const id = randomUUID();
  return { id, type, data: { type }, metadata: { eventId: id, companyId, sessionId } };
};

describe('the audit trail of one session', () => {
  beforeAll(async () => {
    testDatabase = await openMigratedTestDatabase('postgres', 'audit_page');
    const store = createPostgresEventStore(testDatabase.database);
    const db = testDatabase.database.db;
    // Another tenant's busy history, in which ours is a needle.
    await store.append(
      'chat-theirs_1@c.us',
      Array.from({ length: 3000 }, (_, i) => event('other', 'theirs', `Theirs${i}`)),
      'no_stream',
    );
    await store.append(
      'session-s1',
      [event('acme', 's1', 'Ours0'), event('acme', 's1', 'Ours1')],
      'no_stream',
    );
    await writeAnchor(db, await loadAnchorSigningKey(db, undefined));
    await store.append(
      'chat-s1_5511@c.us',
      [event('acme', 's1', 'Ours2'), event('acme', 's1', 'Ours3')],
      'no_stream',
    );
    await store.append('session-s1', [event('acme', 's1', 'Ours4')], 1n);
    // Same session id, another company: never shown to acme.
    await store.append('session-s1-x', [event('evil', 's1', 'NotOurs')], 'no_stream');
    await store.close();
    await sql`analyze events`.execute(db);
    // Pages hold only settled events: wait until no transaction older than ours runs anywhere on the server.
    const { rows } = await sql<{
      last: string;
    }>`select max(transaction_id)::text as last from events`.execute(db);
    await eventually(async () => {
      const { rows: settled } = await sql<{ settled: boolean }>`
        select pg_snapshot_xmin(pg_current_snapshot()) > ${rows[0]!.last}::xid8 as settled`.execute(db);
      return settled[0]!.settled;
    }, 60_000);
  });

  afterAll(async () => {
    await testDatabase?.dispose();
  });

  it('pages through the session’s and its chats’ events in commit order, with hash and anchoring', async () => {
    const seen: { type: string; anchored: boolean; hash: string | null }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await sessionAuditPage(testDatabase.database.db, {
        companyId: 'acme',
        sessionId: 's1',
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      seen.push(...page.map(({ event, anchored, hash }) => ({ type: event.type, anchored, hash })));
      if (page.length < 2) break;
      after = page.at(-1)!.event.checkpoint;
    }
    expect(seen.map((e) => e.type)).toEqual(['Ours0', 'Ours1', 'Ours2', 'Ours3', 'Ours4']);
    expect(seen.map((e) => e.anchored)).toEqual([true, true, false, false, false]);
    expect(seen.every((e) => /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
  });

  it('shows nothing of a session to another company', async () =>
    expect(
      await sessionAuditPage(testDatabase.database.db, { companyId: 'evil', sessionId: 's1', limit: 10 }),
    ).toEqual([]));

  it('reads through the company and session index, touching none of the other tenant’s rows', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off) ${sessionAuditQuery({
      companyId: 'acme',
      sessionId: 's1',
      limit: 2,
    })}`.execute(testDatabase.database.db);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('events_by_company_session');
    expect(plan).not.toMatch(/Rows Removed by Filter: [1-9]\d{2,}/);
  });

  it('shows an event at once, while a transaction elsewhere on the server keeps it from being settled', async () => {
    const store = createPostgresEventStore(testDatabase.database);
    const other = new pg.Client({ connectionString: testDatabase.url });
    other.on('error', () => undefined);
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select txid_current()');
      await store.append('session-s2', [event('acme', 's2', 'JustWritten')], 'no_stream');
      const page = await sessionAuditPage(testDatabase.database.db, {
        companyId: 'acme',
        sessionId: 's2',
        limit: 10,
      });
      expect(page.map((audited) => [audited.event.type, audited.settled])).toEqual([['JustWritten', false]]);
    } finally {
      await other.query('rollback');
      await other.end();
      await store.close();
    }
  });
});
