import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { boundedCache } from './bounded-cache.js';
import { unwrapContactKey, wrapContactKey } from './data-key.js';

/** The channel an erasure notifies, so that every process forgets the keys it holds in memory. */
export const contactKeysChannel = 'zapledger_contact_keys';

export interface ContactKey {
  keyId: string;
  key: Buffer;
}

export interface ContactKeyStore {
  /** The contact's current key, created on first use (by whichever process gets there first). */
  keyFor(companyId: string, contact: string): Promise<ContactKey>;
  /**
   * Holds these contacts' keys in memory, creating in one round trip those that do not exist yet: an event that
   * names a group's members goes under as many keys (keyFor then answers from memory).
   */
  prepare(companyId: string, contacts: readonly string[]): Promise<void>;
  /** The keys of these ids that still exist; a destroyed key is absent, for good. */
  keysById(keyIds: readonly string[]): Promise<Map<string, Buffer>>;
  /** Deletes the contact's key; the ids of what was deleted. */
  destroy(companyId: string, contact: string): Promise<string[]>;
  /** Forgets every key held in memory (another process erased a contact). */
  forget(): void;
}

export interface ContactKeyStoreOptions {
  /** DATA_KEY: wraps each key as it is stored. */
  master?: Buffer | undefined;
  /** Most keys held in memory, per direction (by contact, by id). */
  maxCached?: number;
}

interface KeyRow {
  key_id: string;
  key: Buffer;
}

/**
 * Contact keys in the `contact_keys` table (migrations/0023), so that every process and every rebuild finds
 * them, held in memory (bounded) so that the hot path pays no round trip per event. A key id, once destroyed,
 * never comes back, so ids known to be gone are remembered too.
 */
export function createContactKeyStore<T>(
  db: Kysely<T>,
  options: ContactKeyStoreOptions = {},
): ContactKeyStore {
  const { master } = options;
  const max = options.maxCached ?? 10_000;
  const byContact = boundedCache<string, ContactKey>(max);
  const byId = boundedCache<string, Buffer>(max);
  const destroyed = boundedCache<string, true>(max);

  const remember = (companyId: string, contact: string, row: KeyRow): ContactKey => {
    const key = unwrapContactKey(master, row.key_id, Buffer.from(row.key));
    const found = { keyId: row.key_id, key };
    byContact.set(`${companyId}\n${contact}`, found);
    byId.set(row.key_id, key);
    return found;
  };

  return {
    async keyFor(companyId, contact) {
      const cached = byContact.get(`${companyId}\n${contact}`);
      if (cached) return cached;
      const keyId = randomUUID();
      // One round trip: the key stored already, or the one this insert stores. Two processes may create the
      // contact's key at once: one insert wins; the other, whose statement began before that commit and so
      // sees neither row, reads the winner next.
      const { rows } = await sql<KeyRow>`with created as (
          insert into contact_keys (company_id, contact, key_id, key)
          values (${companyId}, ${contact}, ${keyId}, ${wrapContactKey(master, keyId, randomBytes(32))})
          on conflict (company_id, contact) do nothing
          returning key_id, key)
        select key_id, key from created
        union all
        select key_id, key from contact_keys where company_id = ${companyId} and contact = ${contact}`.execute(
        db,
      );
      const found =
        rows[0] ??
        (
          await sql<KeyRow>`select key_id, key from contact_keys
            where company_id = ${companyId} and contact = ${contact}`.execute(db)
        ).rows[0]!;
      return remember(companyId, contact, found);
    },

    async prepare(companyId, contacts) {
      // In one order everywhere: two processes inserting overlapping keys in different orders would deadlock.
      const missing = [...new Set(contacts)]
        .filter((contact) => !byContact.get(`${companyId}\n${contact}`))
        .sort();
      if (missing.length === 0) return;
      const keyIds = missing.map(() => randomUUID());
      const wrapped = keyIds.map((keyId) =>
        wrapContactKey(master, keyId, randomBytes(32)).toString('base64'),
      );
      // As keyFor: whichever process stores a contact's key first wins, and every process reads the winner.
      await sql`insert into contact_keys (company_id, contact, key_id, key)
        select ${companyId}, contact, key_id::uuid, decode(key, 'base64')
        from unnest(${missing}::text[], ${keyIds}::text[], ${wrapped}::text[]) as fresh(contact, key_id, key)
        order by contact
        on conflict (company_id, contact) do nothing`.execute(db);
      const { rows } = await sql<KeyRow & { contact: string }>`select contact, key_id, key from contact_keys
        where company_id = ${companyId} and contact = any(${missing}::text[])`.execute(db);
      for (const row of rows) remember(companyId, row.contact, row);
    },

    async keysById(keyIds) {
      const found = new Map<string, Buffer>();
      const missing: string[] = [];
      for (const keyId of new Set(keyIds)) {
        const key = byId.get(keyId);
        if (key) found.set(keyId, key);
        else if (!destroyed.get(keyId)) missing.push(keyId);
      }
      if (missing.length === 0) return found;
      const { rows } = await sql<KeyRow>`select key_id, key from contact_keys
        where key_id = any(${missing}::uuid[])`.execute(db);
      for (const row of rows) {
        const key = unwrapContactKey(master, row.key_id, Buffer.from(row.key));
        byId.set(row.key_id, key);
        found.set(row.key_id, key);
      }
      for (const keyId of missing) if (!found.has(keyId)) destroyed.set(keyId, true);
      return found;
    },

    async destroy(companyId, contact) {
      const { rows } = await sql<{ key_id: string }>`delete from contact_keys
        where company_id = ${companyId} and contact = ${contact} returning key_id`.execute(db);
      await sql`select pg_notify(${contactKeysChannel}, '')`.execute(db);
      byContact.delete(`${companyId}\n${contact}`);
      for (const { key_id } of rows) {
        byId.delete(key_id);
        destroyed.set(key_id, true);
      }
      return rows.map((row) => row.key_id);
    },

    forget() {
      byContact.clear();
      byId.clear();
    },
  };
}
