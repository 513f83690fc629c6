import { sql, type Kysely, type Transaction } from 'kysely';
import { readModelTables } from '../../migrations/0002-read-models.js';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore, RecordedEvent } from '../adapters/event-store/port.js';
import { applyParsedInTransaction, parseFor, readModelTransaction } from './apply-batch.js';
import { projectedStreamPrefixes } from './projected-event.js';
import type { Projector } from './projector.js';

const staging = 'zl_rebuild';
const retired = 'zl_retired';
const pageSize = 1000;
const maxSwitchAttempts = 10;

export interface RebuildResult {
  events: number;
  durationMs: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  db: Kysely<ReadModelSchema>;
  store: EventStore;
  projectors: readonly Projector[];
  onProgress?: (eventsApplied: number) => void;
}

/**
 * Replays all history into fresh copies of the projectors' tables while the live tables keep serving reads,
 * then swaps the copies in. The swap locks the live tables, applies whatever arrived during the replay, moves
 * the tables and checkpoints over, all in one transaction; a projection runner that is running meanwhile waits
 * on the lock and carries on against the new tables (re-applying an event there changes nothing).
 *
 * @example
 * const { eventsPerSecond } = await rebuildProjections({ db, store, projectors: allProjectors });
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const { db, store, projectors, onProgress } = options;
  const tables = projectors.flatMap((p) => p.tables);
  const started = performance.now();
  await createStagingTables(db, tables);

  let cursor: string | undefined;
  let events = 0;
  const catchUp = async () => {
    let next = projectedPage(store, cursor);
    for (;;) {
      const page = await next;
      if (!page.read) return;
      cursor = page.checkpoint;
      // The next page is read while this one is written, and each projection writes in its own transaction,
      // so that reading, parsing and the database's work on several tables overlap.
      next = projectedPage(store, cursor);
      next.catch(() => undefined);
      if (page.events.length === 0) continue;
      await applyToAll(db, projectors, page.events);
      events += page.events.length;
      onProgress?.(events);
    }
  };

  await catchUp();
  await createLookupIndexes(db, tables);
  for (let attempt = 1; ; attempt++) {
    await catchUp();
    // Events are read outside the swap's transaction (on PGlite it holds the only connection). Once the live
    // tables are locked no live projection can move; if one got further than the copy meanwhile, catch up again.
    const switched = await db.transaction().execute(async (trx) => {
      await sql`lock table ${sql.join(tables.map((t) => sql.table(`public.${t}`)))} in access exclusive mode`.execute(
        trx,
      );
      if (await liveIsAhead(trx, store, projectors, cursor)) return false;
      await swapIn(trx, tables, projectors);
      return true;
    });
    if (switched) break;
    if (attempt >= maxSwitchAttempts) throw new RebuildCouldNotSwitchError(attempt);
    // The settled read stops short of any transaction still running on the server (other databases' too): give
    // a long one time to end rather than spend every attempt at once.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
  }
  await sql`drop schema if exists ${sql.id(retired)} cascade`.execute(db);
  await sql`drop schema if exists ${sql.id(staging)} cascade`.execute(db);

  const durationMs = performance.now() - started;
  return { events, durationMs, eventsPerSecond: Math.round(events / (durationMs / 1000)) };
}

export class RebuildCouldNotSwitchError extends Error {
  override readonly name = 'RebuildCouldNotSwitchError';

  constructor(readonly attempts: number) {
    super(
      `The live projections kept moving ahead of the rebuild; gave up switching after ${attempts} attempts`,
    );
  }
}

async function liveIsAhead(
  trx: Transaction<ReadModelSchema>,
  store: EventStore,
  projectors: readonly Projector[],
  cursor: string | undefined,
): Promise<boolean> {
  const names = projectors.map((p) => p.name);
  const live = await trx
    .withSchema('public')
    .selectFrom('projection_checkpoints')
    .select('checkpoint')
    .where('name', 'in', names)
    .execute();
  return live.some(
    ({ checkpoint }) =>
      checkpoint !== null && (cursor === undefined || store.compareCheckpoints(checkpoint, cursor) > 0),
  );
}

async function createStagingTables(db: Kysely<ReadModelSchema>, tables: readonly string[]): Promise<void> {
  await sql`drop schema if exists ${sql.id(staging)} cascade`.execute(db);
  await sql`create schema ${sql.id(staging)}`.execute(db);
  for (const statement of stagingStatements(tables).filter((s) => !isLookupIndex(s)))
    await sql.raw(statement).execute(db);
  await sql`create table ${sql.table(`${staging}.projection_checkpoints`)}
    (like public.projection_checkpoints including all)`.execute(db);
}

function stagingStatements(tables: readonly string[]): string[] {
  const statements = readModelTables(staging);
  return tables.flatMap((table) => statements[table as keyof typeof statements]);
}

/** Indexes that only serve reads: built once after the replay, which is faster than keeping them up to date. */
const isLookupIndex = (statement: string) => statement.trimStart().startsWith('create index');

async function createLookupIndexes(db: Kysely<ReadModelSchema>, tables: readonly string[]): Promise<void> {
  for (const statement of stagingStatements(tables).filter(isLookupIndex))
    await sql.raw(statement).execute(db);
}

async function applyToAll(
  db: Kysely<ReadModelSchema>,
  projectors: readonly Projector[],
  events: RecordedEvent[],
) {
  const parsed = events.map(parseFor(projectors[0]!));
  // All settle before a failure is reported: no transaction is left running behind the error.
  const outcomes = await Promise.allSettled(
    projectors.map((projector) =>
      readModelTransaction(db, (trx) => applyParsedInTransaction(trx, staging, projector, events, parsed)),
    ),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

async function swapIn(
  trx: Transaction<ReadModelSchema>,
  tables: readonly string[],
  projectors: readonly Projector[],
) {
  await sql`drop schema if exists ${sql.id(retired)} cascade`.execute(trx);
  await sql`create schema ${sql.id(retired)}`.execute(trx);
  for (const table of tables) {
    await sql`alter table ${sql.table(`public.${table}`)} set schema ${sql.id(retired)}`.execute(trx);
    await sql`alter table ${sql.table(`${staging}.${table}`)} set schema public`.execute(trx);
  }
  const names = projectors.map((p) => p.name);
  await trx.withSchema('public').deleteFrom('projection_checkpoints').where('name', 'in', names).execute();
  await sql`insert into public.projection_checkpoints
    select * from ${sql.table(`${staging}.projection_checkpoints`)} where name in (${sql.join(names)})`.execute(
    trx,
  );
}

/** The next page of all events, keeping only those the read models are built from. */
async function projectedPage(store: EventStore, from: string | undefined) {
  const page = await store.readAll({ ...(from === undefined ? {} : { from }), maxCount: pageSize });
  const events = page.filter((e) =>
    projectedStreamPrefixes.some((prefix) => e.streamName.startsWith(prefix)),
  );
  return { read: page.length, checkpoint: page.at(-1)?.checkpoint, events };
}
