import { sql, type Kysely } from 'kysely';
import { ensureDataKeyMatches } from './data-key-check.js';
import { dataKeyCheckValue, unwrapContactKey, wrapContactKey, wrapHashSalt } from './data-key.js';

/**
 * Re-wraps every contact key and the erasure salt from the current master key (DATA_KEY, or none) to a new one
 * (or none, to store them unwrapped), with the store's key-check value, in one transaction: either all keys move or none does.
 * The current key is checked first, so a wrong one changes nothing. Gateways must be restarted with the new
 * DATA_KEY afterwards (the old one is refused from then on).
 *
 * @returns how many contact keys were re-wrapped.
 */
export async function rotateDataKey<T>(
  db: Kysely<T>,
  current: Buffer | undefined,
  next: Buffer | undefined,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select id from data_key_check for update`.execute(trx);
    const salt = await ensureDataKeyMatches(trx, current);
    const { rows } = await sql<{ key_id: string; key: Buffer }>`
      select key_id, key from contact_keys order by key_id for update`.execute(trx);
    const ids = rows.map((row) => row.key_id);
    const keys = rows.map((row) =>
      wrapContactKey(next, row.key_id, unwrapContactKey(current, row.key_id, Buffer.from(row.key))),
    );
    for (let start = 0; start < ids.length; start += 5000) {
      await sql`update contact_keys c set key = n.key
        from unnest(${ids.slice(start, start + 5000)}::uuid[], ${keys.slice(start, start + 5000)}::bytea[])
          as n (key_id, key)
        where c.key_id = n.key_id`.execute(trx);
    }
    await sql`update data_key_check
      set wrapped = ${next !== undefined}, check_value = ${next ? dataKeyCheckValue(next) : null},
        hash_salt = ${wrapHashSalt(next, salt)}`.execute(trx);
    return rows.length;
  });
}
