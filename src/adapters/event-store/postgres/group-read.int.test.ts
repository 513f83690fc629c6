import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMigratedTestDatabase,
  type MigratedTestDatabase,
} from '../../../../test-support/test-databases.js';
import type { Database } from '../../db/database.js';
import type { EventToAppend } from '../port.js';
import { createGroupCommit } from './group-commit.js';
import { createGroupRead } from './group-read.js';

let testDatabase: MigratedTestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await openMigratedTestDatabase('postgres', 'group_read');
  database = testDatabase.database;
});

afterAll(async () => {
  await testDatabase?.dispose();
});

const event = (type: string): EventToAppend => ({ id: randomUUID(), type, data: {}, metadata: {} });

describe('group read', () => {
  it('answers reads that arrive together each with its own stream, from its own revision, in order', async () => {
    const append = createGroupCommit(database.db);
    const read = createGroupRead(database.db, 7);
    const streams = Array.from({ length: 30 }, (_, i) => ({
      name: `chat-${randomUUID()}`,
      length: (i % 4) + 12,
    }));
    await Promise.all(
      streams.map(({ name, length }) =>
        append(
          name,
          Array.from({ length }, (_, n) => event(`${name}:${n}`)),
          'no_stream',
        ),
      ),
    );
    const requests = [
      ...streams.map(({ name }) => ({ name, from: 0n })),
      ...streams.map(({ name }) => ({ name, from: 10n })),
      { name: `chat-${randomUUID()}`, from: 0n },
    ];
    const answers = await Promise.all(requests.map(({ name, from }) => read(name, from)));
    for (const [index, { name, from }] of requests.entries()) {
      const length = streams.find((s) => s.name === name)?.length ?? 0;
      const expected = Array.from({ length }, (_, n) => n).filter((n) => n >= Number(from));
      expect(answers[index]!.map((e) => e.type)).toEqual(expected.map((n) => `${name}:${n}`));
      expect(answers[index]!.map((e) => Number(e.revision))).toEqual(expected);
    }
  });
});
