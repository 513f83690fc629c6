import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import type { Database } from '../../db/database.js';
import type { EventToAppend } from '../port.js';
import { createGroupCommit } from './group-commit.js';

let testDatabase: MigratedTestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await openMigratedTestDatabase('postgres', 'group_commit');
  database = testDatabase.database;
});

afterAll(async () => {
  await testDatabase?.dispose();
});

const event = (type: string, id: string = randomUUID()): EventToAppend => ({
  id,
  type,
  data: { type },
  metadata: {},
});

const transactionsOf = async (streams: string[]) =>
  (
    await sql<{ count: string }>`select count(distinct transaction_id) as count from events
      where stream_name = any(${streams}::text[])`.execute(database.db)
  ).rows[0]!.count;

describe('group commit', () => {
  it('writes appends that arrive together in far fewer transactions, each with its own revisions', async () => {
    const append = createGroupCommit(database.db);
    const streams = Array.from({ length: 200 }, () => `chat-${randomUUID()}`);
    const results = await Promise.all(
      streams.map((stream) => append(stream, [event('A'), event('B')], 'no_stream')),
    );
    expect(results.every((r) => r.nextExpectedRevision === 1n && r.appended === 2)).toBe(true);
    expect(Number(await transactionsOf(streams))).toBeLessThan(20);
  });

  it('keeps one bad append from failing the others written with it', async () => {
    const append = createGroupCommit(database.db);
    const streams = Array.from({ length: 10 }, () => `chat-${randomUUID()}`);
    const outcomes = await Promise.allSettled(
      streams.map((stream, i) => append(stream, [event('A', i === 4 ? 'not-a-uuid' : randomUUID())], 'any')),
    );
    expect(outcomes.map((o) => o.status)).toEqual(
      streams.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
    );
    const stored = await sql<{ stream_name: string }>`select stream_name from events
      where stream_name = any(${streams}::text[])`.execute(database.db);
    expect(stored.rows.map((r) => r.stream_name).sort()).toEqual(streams.filter((_, i) => i !== 4).sort());
  });

  it('gives each append of one stream in a group the revision the one before it left', async () => {
    const append = createGroupCommit(database.db);
    const stream = `chat-${randomUUID()}`;
    const results = await Promise.allSettled([
      append(stream, [event('A')], 'no_stream'),
      append(stream, [event('B')], 0n),
      append(stream, [event('C')], 0n),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/expected at 0 but is at 1/);
  });

  it('hands over what it stored whatever the letter case of an id, and stores an id repeated in one append once', async () => {
    const handedOver: string[] = [];
    const append = createGroupCommit(database.db, {
      hooks: { afterCommit: (events) => handedOver.push(...events.map((e) => e.id)) },
    });
    const stream = `chat-${randomUUID()}`;
    const id = randomUUID().toUpperCase();
    const result = await append(stream, [event('A', id), event('A', id), event('B')], 'no_stream');
    expect(result.appended).toBe(2);
    expect(handedOver).toHaveLength(2);
    expect(handedOver[0]).toBe(id.toLowerCase());
  });
});
