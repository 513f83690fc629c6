import { sql, type Kysely } from 'kysely';
import { writeAnchor } from '../src/adapters/audit/postgres-anchors.js';
import { loadAnchorSigningKey } from '../src/adapters/audit/signing-key-store.js';
import { verifyPostgresStore } from '../src/adapters/audit/verify-postgres-store.js';
import type { DatabaseSchema } from '../src/adapters/db/schema.js';
import { openMigratedTestDatabase } from '../test-support/test-databases.js';
import type { BenchResult } from './support/bench-result.js';

const eventsPerStream = 10;
const streamsPerCall = 1000;

/**
 * `npm run audit -- verify` over `events` stored events (10 per chat stream), all under one signed anchor, on a
 * PostgreSQL server. The target is 1,000,000 events in 60 s or less.
 */
export async function auditVerifyBench(
  events = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000),
): Promise<BenchResult> {
  const testDb = await openMigratedTestDatabase('postgres', 'bench_audit');
  const db = testDb.database.db;
  try {
    const seeded = Date.now();
    for (let first = 0; first < events; first += streamsPerCall * eventsPerStream)
      await appendGenerated(db, first, Math.min(events, first + streamsPerCall * eventsPerStream));
    await writeAnchor(db, await loadAnchorSigningKey(db, undefined));
    console.log(`  seeded ${events} events in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const started = performance.now();
    const report = await verifyPostgresStore(db);
    const seconds = (performance.now() - started) / 1000;
    if (report.firstBreak || report.events !== events)
      throw new Error(
        `verification failed: ${JSON.stringify(report.firstBreak)} after ${report.events} events`,
      );
    return {
      name: 'audit-verify',
      events: report.events,
      anchoredEvents: report.anchoredEvents,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(report.events / seconds),
    };
  } finally {
    await testDb.dispose();
  }
}

/**
 * Appends events [first, end) through zl_append_many itself, so that the hashes are the store's own; the
 * content hashes are taken in SQL over canonical JSON written out by hand (keys already in sorted order, no
 * characters to escape), which verification recomputes in Node: a mismatch fails the benchmark.
 */
async function appendGenerated(db: Kysely<DatabaseSchema>, first: number, end: number): Promise<void> {
  await sql`
    with generated as (
      select g, 'chat-bench_' || (g / ${eventsPerStream}) as stream, md5('event-' || g)::uuid as id,
        '{"body":"message ' || g || ' from the benchmark","n":' || g || '}' as data,
        '{"companyId":"company-' || (g % 5) || '","sessionId":"bench"}' as metadata
      from generate_series(${first}::integer, ${end - 1}::integer) as g
    ),
    streams as (
      select stream, count(*)::integer as count, min(g) as g from generated group by stream
    )
    select count(*) from zl_append_many(
      array(select stream from streams order by g),
      array(select 'no_stream' from streams order by g),
      array(select count from streams order by g),
      array(select id from generated order by g),
      array(select 'MessageReceived' from generated order by g),
      array(select data::jsonb from generated order by g),
      array(select metadata::jsonb from generated order by g),
      array(select encode(sha256(convert_to('{"data":' || data || ',"id":"' || id || '","metadata":' || metadata
        || ',"stream":"' || stream || '","type":"MessageReceived"}', 'UTF8')), 'hex') from generated order by g))`.execute(
    db,
  );
}
