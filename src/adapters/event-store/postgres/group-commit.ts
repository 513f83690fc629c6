import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import { WrongExpectedVersionError } from '../errors.js';
import type { AppendHooks } from './append-hooks.js';
import { batchWhileBusy } from './batch-while-busy.js';
import { contentHash } from '../../../domain/audit/event-hash.js';
import type { AppendResult, EventToAppend, ExpectedRevision, RecordedEvent } from '../port.js';
import { encodeCheckpoint } from './postgres-checkpoint.js';

/** The channel zl_append_many notifies (migration 0006) when it appended anything. */
export const eventsChannel = 'zapledger_events';

interface PendingAppend {
  streamName: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most appends written by one statement. */
  maxAppends?: number;
  /** Most events written by one statement (a single larger append still goes alone). */
  maxEvents?: number;
  hooks?: AppendHooks;
}

/**
 * Appends that arrive while a write is in flight wait and then go together: one statement, one transaction, one
 * commit for all of them (zl_append_many keeps each append's own rules). A lone append costs one round trip; a
 * busy gateway writes hundreds per round trip. If the shared statement fails, each append is retried alone, so
 * one append's problem is never another's.
 */
export function createGroupCommit(db: Kysely<DatabaseSchema>, options: GroupCommitOptions = {}) {
  const maxAppends = options.maxAppends ?? 500;
  const maxEvents = options.maxEvents ?? 5000;
  const { withinTransaction, afterCommit } = options.hooks ?? {};

  /** Appends the group in one transaction with what the hooks write; the stored events once committed. */
  async function commit(group: readonly PendingAppend[]): Promise<Committed> {
    if (!withinTransaction) {
      const outcomes = await appendMany(db, group);
      return { outcomes, stored: storedEvents(group, outcomes) };
    }
    return db.transaction().execute(async (trx) => {
      const outcomes = await appendMany(trx, group);
      const stored = storedEvents(group, outcomes);
      if (stored.length > 0) await withinTransaction(trx, stored);
      return { outcomes, stored };
    });
  }

  function committed({ outcomes, stored }: Committed, group: readonly PendingAppend[]): void {
    if (stored.length > 0) afterCommit?.(stored);
    settle(group, outcomes);
  }

  async function writeGroup(group: PendingAppend[]): Promise<void> {
    try {
      committed(await commit(group), group);
    } catch {
      // Each append alone: one append's problem (a conflict, an event a projector refuses) is never another's.
      for (const pending of group)
        await commitAlone(pending).then(
          (result) => committed(result, [pending]),
          (aloneError: unknown) => pending.reject(aloneError),
        );
    }
  }

  /**
   * One append in a transaction of its own. Inline projections of two processes may meet on rows that several
   * streams share (a company's Clients): a deadlock or serialization failure picks one of them to abort, and
   * that one is simply tried again.
   */
  async function commitAlone(pending: PendingAppend): Promise<Committed> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await commit([pending]);
      } catch (error) {
        if (attempt >= 5 || !isLostRace(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  function takeGroup(queue: PendingAppend[]): PendingAppend[] {
    let events = 0;
    let count = 0;
    while (count < queue.length && count < maxAppends) {
      events += queue[count]!.events.length;
      if (count > 0 && events > maxEvents) break;
      count++;
    }
    // In stream order (each stream's appends keeping theirs), so that two processes' groups lock streams rows
    // in the same order and cannot deadlock each other.
    return queue
      .splice(0, count)
      .sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0));
  }

  const enqueue = batchWhileBusy(takeGroup, writeGroup);
  return (streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision) =>
    new Promise<AppendResult>((resolve, reject) =>
      enqueue({ streamName, events: withoutRepeatedIds(events), expected, resolve, reject }),
    );
}

/** The events with each id once (the first), whatever its letter case: an id stored twice is one event. */
function withoutRepeatedIds(events: readonly EventToAppend[]): readonly EventToAppend[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const id = event.id.toLowerCase();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** A deadlock or serialization failure: the transaction lost a race, and the same work can be tried again. */
function isLostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

interface AppendOutcome {
  result: 'appended' | 'duplicate' | 'conflict';
  last_revision: string | null;
  appended_count: number;
  appended_ids: string[];
  appended_positions: string[];
  transaction_id: string;
  recorded_at: Date | string;
}

interface Committed {
  outcomes: AppendOutcome[];
  stored: RecordedEvent[];
}

async function appendMany(
  db: Kysely<DatabaseSchema>,
  group: readonly PendingAppend[],
): Promise<AppendOutcome[]> {
  const events = group.flatMap((pending) => pending.events);
  const { rows } =
    await sql<AppendOutcome>`select result, last_revision::text as last_revision, appended_count,
      appended_ids::text[] as appended_ids, appended_positions::text[] as appended_positions, transaction_id,
      recorded_at
    from zl_append_many(
      ${group.map((pending) => pending.streamName)}::text[],
      ${group.map((pending) => String(pending.expected))}::text[],
      ${group.map((pending) => pending.events.length)}::integer[],
      ${events.map((event) => event.id)}::uuid[],
      ${events.map((event) => event.type)}::text[],
      ${events.map((event) => JSON.stringify(event.data))}::jsonb[],
      ${events.map((event) => JSON.stringify(event.metadata))}::jsonb[],
      ${contentHashes(group)}::text[])`.execute(db);
  return rows;
}

/** Each event's content hash (hex), which zl_append_many chains to its stream's head (migration 0015). */
function contentHashes(group: readonly PendingAppend[]): string[] {
  return group.flatMap((pending) =>
    pending.events.map((event) => contentHash({ streamName: pending.streamName, ...event }).toString('hex')),
  );
}

/** The events each append stored (not the duplicates it skipped), as a reader of the store would get them. */
function storedEvents(group: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): RecordedEvent[] {
  return group.flatMap((pending, index) => {
    const outcome = outcomes[index];
    if (!outcome || outcome.result !== 'appended' || outcome.appended_count === 0) return [];
    const byId = new Map(pending.events.map((event) => [event.id.toLowerCase(), event]));
    const firstRevision = BigInt(outcome.last_revision!) - BigInt(outcome.appended_count) + 1n;
    const transactionId = BigInt(outcome.transaction_id);
    const recordedAt = new Date(outcome.recorded_at);
    return outcome.appended_ids.map((id, offset) => {
      const event = byId.get(id.toLowerCase())!;
      const position = BigInt(outcome.appended_positions[offset]!);
      return {
        id,
        type: event.type,
        streamName: pending.streamName,
        revision: firstRevision + BigInt(offset),
        position,
        checkpoint: encodeCheckpoint({ transactionId, position }),
        data: event.data,
        metadata: event.metadata,
        recordedAt,
      };
    });
  });
}

/** Resolves or rejects each append with its outcome; every outcome is read before any promise is settled. */
function settle(group: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
  const settlements = group.map((pending, index) => {
    const outcome = outcomes[index];
    if (!outcome || outcome.last_revision === null) throw new AppendOutcomeMissingError(pending.streamName);
    const revision = BigInt(outcome.last_revision);
    return outcome.result === 'conflict'
      ? () =>
          pending.reject(
            new WrongExpectedVersionError(
              pending.streamName,
              pending.expected,
              revision < 0n ? 'no_stream' : revision,
            ),
          )
      : () =>
          pending.resolve({
            nextExpectedRevision: revision,
            appended: outcome.appended_count,
            ...(outcome.appended_positions.length > 0
              ? {
                  checkpoint: encodeCheckpoint({
                    transactionId: BigInt(outcome.transaction_id),
                    position: BigInt(outcome.appended_positions.at(-1)!),
                  }),
                }
              : {}),
          });
  });
  for (const apply of settlements) apply();
}

export class AppendOutcomeMissingError extends Error {
  override readonly name = 'AppendOutcomeMissingError';

  constructor(readonly streamName: string) {
    super(`The database gave no outcome for the append to ${streamName}`);
  }
}
