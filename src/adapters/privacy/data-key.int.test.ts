import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedTestDatabase, type MigratedTestDatabase } from '../../../test-support/test-databases.js';
import { DataKeyMismatchError } from '../../domain/privacy/privacy-errors.js';
import { createPostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { wrapBareSalt } from './data-key-check.js';
import { bareSaltCheckValue } from './data-key.js';
import { openPrivacy } from './open-privacy.js';
import { rotateDataKey } from './rotate-data-key.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('hex');
const stream = `chat-${randomUUID()}_5511911112222@c.us`;

const received = (body: string) => ({
  id: randomUUID(),
  type: 'MessageEdited',
  data: { waMessageId: 'w1', body, editedAt: 1 },
  metadata: { companyId: 'acme' },
});

describe('DATA_KEY', () => {
  let testDb: MigratedTestDatabase;

  beforeEach(async () => {
    testDb = await openMigratedTestDatabase('postgres', 'data_key');
  });

  afterEach(async () => {
    await testDb.dispose();
  });

  /** Appends one sealed event with a process started under `dataKey`, and reads it back with another. */
  async function writeWith(dataKey: string | undefined, body: string): Promise<void> {
    const privacy = await openPrivacy(testDb.database, dataKey);
    const store = privacy.sealing.wrap(createPostgresEventStore(testDb.database));
    await store.append(stream, [received(body)], 'any');
    await privacy.close();
    await store.close();
  }

  async function bodiesWith(dataKey: string | undefined): Promise<unknown[]> {
    const privacy = await openPrivacy(testDb.database, dataKey);
    const store = privacy.sealing.wrap(createPostgresEventStore(testDb.database));
    try {
      return (await store.readStream(stream)).map((event) => event.data.body);
    } finally {
      await privacy.close();
      await store.close();
    }
  }

  const storedKeys = async () =>
    (await sql<{ key: Buffer }>`select key from contact_keys`.execute(testDb.database.db)).rows.map((row) =>
      Buffer.from(row.key).toString('hex'),
    );

  it('wraps contact keys when set, and reads them back with the same key', async () => {
    await writeWith(keyA, 'olá');
    const [stored] = await storedKeys();
    expect(Buffer.from(stored!, 'hex')).toHaveLength(12 + 32 + 16);
    expect(await bodiesWith(keyA)).toEqual(['olá']);
  });

  it("wraps the keys a group's members get in one go, and opens what they sealed with the same key", async () => {
    const members = ['5511911112222@c.us', '5511933334444@c.us', '207745630986429@lid'];
    const synced = {
      id: randomUUID(),
      type: 'GroupSynced',
      data: {
        subject: 'Equipe',
        description: null,
        participants: members.map((jid) => ({ jid, isAdmin: false })),
      },
      metadata: { companyId: 'acme' },
    };
    const groupStream = `chat-${randomUUID()}_120363025246125486@g.us`;
    const privacy = await openPrivacy(testDb.database, keyA);
    const store = privacy.sealing.wrap(createPostgresEventStore(testDb.database));
    await store.append(groupStream, [synced], 'any');
    await privacy.close();
    await store.close();
    const stored = await storedKeys();
    expect(stored).toHaveLength(3);
    for (const key of stored) expect(Buffer.from(key, 'hex')).toHaveLength(12 + 32 + 16);

    const reader = await openPrivacy(testDb.database, keyA);
    const readStore = reader.sealing.wrap(createPostgresEventStore(testDb.database));
    try {
      const [read] = await readStore.readStream(groupStream);
      expect(read!.data).toEqual(synced.data);
    } finally {
      await reader.close();
      await readStore.close();
    }
  });

  it('refuses to start with another DATA_KEY, with DATA_KEY unset, or set over unwrapped keys', async () => {
    await writeWith(keyA, 'olá');
    const before = await storedKeys();
    await expect(openPrivacy(testDb.database, keyB)).rejects.toThrow(DataKeyMismatchError);
    await expect(openPrivacy(testDb.database, undefined)).rejects.toThrow(
      /wrapped by a DATA_KEY, and DATA_KEY is unset/,
    );
    expect(await storedKeys()).toEqual(before);

    const other = await openMigratedTestDatabase('postgres', 'data_key_plain');
    try {
      const plain = await openPrivacy(other.database, undefined);
      await plain.close();
      await expect(openPrivacy(other.database, keyA)).rejects.toThrow(/keeps its contact keys unwrapped/);
    } finally {
      await other.dispose();
    }
  });

  it('rotates every contact key to a new DATA_KEY in one go, after which only the new key starts', async () => {
    await writeWith(undefined, 'primeira');
    expect(await rotateDataKey(testDb.database.db, undefined, Buffer.from(keyB, 'hex'))).toBe(1);
    await expect(openPrivacy(testDb.database, undefined)).rejects.toThrow(DataKeyMismatchError);
    expect(await bodiesWith(keyB)).toEqual(['primeira']);
    await writeWith(keyB, 'segunda');

    expect(
      await rotateDataKey(testDb.database.db, Buffer.from(keyB, 'hex'), Buffer.from(keyA, 'base64')),
    ).toBe(1);
    await expect(openPrivacy(testDb.database, keyB)).rejects.toThrow(DataKeyMismatchError);
    expect(await bodiesWith(keyA)).toEqual(['primeira', 'segunda']);
  });

  it('keeps the erasure salt wrapped under DATA_KEY, the same salt through every rotation', async () => {
    const storedSalt = async () =>
      Buffer.from(
        (await sql<{ hash_salt: Buffer }>`select hash_salt from data_key_check`.execute(testDb.database.db))
          .rows[0]!.hash_salt,
      );
    const saltWith = async (dataKey: string | undefined) => {
      const privacy = await openPrivacy(testDb.database, dataKey);
      await privacy.close();
      return privacy.hashSalt;
    };
    // A store begun without DATA_KEY keeps it bare, as versions before wrapped salts kept it with one.
    const salt = await saltWith(undefined);
    expect(await storedSalt()).toEqual(salt);

    await rotateDataKey(testDb.database.db, undefined, Buffer.from(keyA, 'base64'));
    expect(await storedSalt()).toHaveLength(12 + 32 + 16);
    expect(await saltWith(keyA)).toEqual(salt);
    await rotateDataKey(testDb.database.db, Buffer.from(keyA, 'base64'), Buffer.from(keyB, 'hex'));
    expect(await saltWith(keyB)).toEqual(salt);
    await rotateDataKey(testDb.database.db, Buffer.from(keyB, 'hex'), undefined);
    expect(await storedSalt()).toEqual(salt);

    // A bare salt found under DATA_KEY (a store of a version before wrapped salts) is wrapped at the next start,
    // and marked so that such a version refuses the store from then on instead of taking the wrapped bytes.
    const master = Buffer.from(keyA, 'base64');
    await rotateDataKey(testDb.database.db, undefined, master);
    await sql`update data_key_check set hash_salt = ${salt}, check_value = ${bareSaltCheckValue(master)}`.execute(
      testDb.database.db,
    );
    expect(await saltWith(keyA)).toEqual(salt);
    expect(await storedSalt()).toHaveLength(12 + 32 + 16);
    const check = await sql<{ check_value: string }>`select check_value from data_key_check`.execute(
      testDb.database.db,
    );
    expect(check.rows[0]!.check_value).not.toBe(bareSaltCheckValue(master));
    expect(await saltWith(keyA)).toEqual(salt);
  });

  it('wraps a bare salt only as it was checked: a rotation committed in between leaves it as that left it', async () => {
    const master = Buffer.from(keyA, 'base64');
    const privacy = await openPrivacy(testDb.database, undefined);
    await privacy.close();
    const salt = privacy.hashSalt;
    await rotateDataKey(testDb.database.db, undefined, master);
    await sql`update data_key_check set hash_salt = ${salt}, check_value = ${bareSaltCheckValue(master)}`.execute(
      testDb.database.db,
    );
    // A start checked the key and read the bare salt; then `rotate-data-key` took the store back to no key.
    await rotateDataKey(testDb.database.db, master, undefined);
    await wrapBareSalt(testDb.database.db, master, salt);

    const { rows } = await sql<{ wrapped: boolean; hash_salt: Buffer }>`select wrapped, hash_salt
      from data_key_check`.execute(testDb.database.db);
    expect(rows[0]!.wrapped).toBe(false);
    expect(Buffer.from(rows[0]!.hash_salt)).toEqual(salt);
  });

  it('refuses to rotate from a current key that is not the store’s, changing nothing', async () => {
    await writeWith(keyA, 'olá');
    const before = await storedKeys();
    await expect(
      rotateDataKey(testDb.database.db, Buffer.from(keyB, 'hex'), randomBytes(32)),
    ).rejects.toThrow(DataKeyMismatchError);
    expect(await storedKeys()).toEqual(before);
    expect(await bodiesWith(keyA)).toEqual(['olá']);
  });
});
