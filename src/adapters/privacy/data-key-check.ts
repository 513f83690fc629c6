import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DataKeyMismatchError } from '../../domain/privacy/privacy-errors.js';
import { bareSaltCheckValue, dataKeyCheckValue, unwrapHashSalt, wrapHashSalt } from './data-key.js';

interface CheckRow {
  wrapped: boolean;
  check_value: string | null;
  hash_salt: Buffer;
}

/**
 * Makes sure DATA_KEY is the master key the store's contact keys are kept under, before anything uses them.
 * The first process to start decides (wrapped or not); every later start compares, and refuses with
 * DataKeyMismatchError rather than write keys that the others cannot read. Nothing is ever re-wrapped here:
 * that is `npm run privacy -- rotate-data-key`, on purpose.
 *
 * @returns the store's erasure salt (kept wrapped by DATA_KEY when it is set), which keys the hashes that name
 * erased contacts.
 */
export async function ensureDataKeyMatches<T>(db: Kysely<T>, master: Buffer | undefined): Promise<Buffer> {
  await sql`insert into data_key_check (wrapped, check_value, hash_salt)
    values (${master !== undefined}, ${master ? dataKeyCheckValue(master) : null},
      ${wrapHashSalt(master, randomBytes(32))})
    on conflict (id) do nothing`.execute(db);
  const { rows } = await sql<CheckRow>`select wrapped, check_value, hash_salt from data_key_check`.execute(
    db,
  );
  const stored = rows[0]!;
  if (!stored.wrapped && master) throw new DataKeyMismatchError('unwrapped', 'set');
  if (stored.wrapped && !master) throw new DataKeyMismatchError('wrapped', 'unset');
  if (!master) return Buffer.from(stored.hash_salt);
  if (stored.check_value === dataKeyCheckValue(master))
    return unwrapHashSalt(master, Buffer.from(stored.hash_salt));
  if (stored.check_value !== bareSaltCheckValue(master)) throw new DataKeyMismatchError('wrapped', 'set');
  const salt = Buffer.from(stored.hash_salt);
  await wrapBareSalt(db, master, salt);
  return salt;
}

/**
 * Wraps a salt stored bare by a version before salts were wrapped, by the key just checked, and marks the store
 * so that such a version refuses it from then on. Only the row as it was checked: a rotation that committed in
 * between (even one back to the same bare salt) leaves nothing to match.
 */
export async function wrapBareSalt<T>(db: Kysely<T>, master: Buffer, salt: Buffer): Promise<void> {
  await sql`update data_key_check
    set hash_salt = ${wrapHashSalt(master, salt)}, check_value = ${dataKeyCheckValue(master)}
    where wrapped and check_value = ${bareSaltCheckValue(master)} and hash_salt = ${salt}`.execute(db);
}
