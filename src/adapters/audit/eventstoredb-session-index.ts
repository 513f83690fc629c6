import type { Position, ResolvedEvent } from '@eventstore/db-client';
import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { auditChainOf } from '../event-store/eventstoredb/audit-chain-metadata.js';

type ClientRecordedEvent = NonNullable<ResolvedEvent['event']>;

/** One event of a session's streams, as the audit index (migration 0029) keeps it. */
export interface SessionIndexRow {
  companyId: string;
  sessionId: string;
  position: Position;
  streamName: string;
  revision: bigint;
  /** Hex chain hash; null on an event the store did not chain. */
  hash: string | null;
}

/** The streams of a session: its lifecycle stream and its chats' (DESIGN.md, Streams and events). */
export function isStreamOfSession(streamName: string, sessionId: string): boolean {
  return streamName === `session-${sessionId}` || streamName.startsWith(`chat-${sessionId}_`);
}

/**
 * The index row of an event, or undefined when it belongs to no session's audit trail: the same events the
 * PostgreSQL store's index shows (session-audit-page.ts): the metadata names the company and the session, and the
 * stream is that session's.
 */
export function sessionIndexRowOf(
  event: ClientRecordedEvent,
  position: Position,
): SessionIndexRow | undefined {
  const metadata = event.metadata as Record<string, unknown> | undefined;
  const companyId = metadata?.['companyId'];
  const sessionId = metadata?.['sessionId'];
  if (typeof companyId !== 'string' || typeof sessionId !== 'string') return undefined;
  if (!isStreamOfSession(event.streamId, sessionId)) return undefined;
  return {
    companyId,
    sessionId,
    position,
    streamName: event.streamId,
    revision: event.revision,
    hash: auditChainOf(metadata)?.hash ?? null,
  };
}

/** Inside the follower's transaction; a row already there (a page read again after a crash) stays as it is. */
export async function insertSessionIndexRows(
  trx: Kysely<DatabaseSchema>,
  rows: readonly SessionIndexRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into eventstoredb_audit_index
      (company_id, session_id, commit_position, prepare_position, stream_name, revision, hash)
    select row.company_id, row.session_id, row.commit_position, row.prepare_position, row.stream_name,
      row.revision, decode(row.hash, 'hex')
    from unnest(${rows.map((r) => r.companyId)}::text[], ${rows.map((r) => r.sessionId)}::text[],
      ${rows.map((r) => r.position.commit.toString())}::bigint[],
      ${rows.map((r) => r.position.prepare.toString())}::bigint[], ${rows.map((r) => r.streamName)}::text[],
      ${rows.map((r) => r.revision.toString())}::bigint[], ${rows.map((r) => r.hash)}::text[])
      as row(company_id, session_id, commit_position, prepare_position, stream_name, revision, hash)
    on conflict do nothing`.execute(trx);
}

export interface IndexedEvent {
  position: Position;
  streamName: string;
  revision: bigint;
}

const maxBigint = 2n ** 63n - 1n;
const beforeEverything: Position = { commit: -1n, prepare: -1n };

export interface SessionIndexQuery {
  companyId: string;
  sessionId: string;
  limit: number;
}

/**
 * The session's indexed events after `after` and up to `upTo` (the follower's checkpoint: every event up to it is
 * indexed), in `$all` order, by the primary key: the company and the session are its first columns, so no other
 * tenant's row is read.
 */
export async function indexedSessionEvents<T>(
  db: Kysely<T>,
  query: SessionIndexQuery,
  after: Position | undefined,
  upTo: Position,
): Promise<IndexedEvent[]> {
  const { rows } = await sessionIndexQuery(query, after, upTo).execute(db);
  return rows.map((row) => ({
    position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) },
    streamName: row.stream_name,
    revision: BigInt(row.revision),
  }));
}

/** The statement of `indexedSessionEvents`, for it and for the test that reads its plan. */
export function sessionIndexQuery(query: SessionIndexQuery, after: Position | undefined, upTo: Position) {
  // No stored position is past PostgreSQL's bigint; a cursor past it (EventStoreDB's are unsigned) means the end.
  const clamp = (value: bigint) => (value > maxBigint ? maxBigint : value).toString();
  const from = after ?? beforeEverything;
  return sql<{ commit: string; prepare: string; stream_name: string; revision: string }>`
    select commit_position::text as commit, prepare_position::text as prepare, stream_name, revision::text as revision
    from eventstoredb_audit_index
    where company_id = ${query.companyId} and session_id = ${query.sessionId}
      and (commit_position, prepare_position) > (${clamp(from.commit)}::bigint, ${clamp(from.prepare)}::bigint)
      and (commit_position, prepare_position) <= (${clamp(upTo.commit)}::bigint, ${clamp(upTo.prepare)}::bigint)
    order by commit_position, prepare_position
    limit ${query.limit}`;
}
