import { sql, type Kysely } from 'kysely';
import { contactKeysChannel } from '../../adapters/privacy/contact-key-store.js';

/**
 * The late erasures of linked-device ids taken up (migrations/0033): the live reaction and the sweep share them,
 * so that an id is erased once, whichever gets there first or comes back after a crash.
 */

/**
 * Takes up the erasure of this id, or finds it taken up already: the mapping it is done for (the first that took
 * it up), or undefined when it is done.
 */
export async function claimLateLid<T>(
  db: Kysely<T>,
  companyId: string,
  lid: string,
  mappingId: string,
): Promise<string | undefined> {
  // One statement: the row this insert stores, or the one stored already (see contact-key-store.ts's keyFor).
  const { rows } = await sql<{ mapping_id: string; done: boolean }>`with claimed as (
      insert into late_lid_erasures (company_id, lid, mapping_id) values (${companyId}, ${lid}, ${mappingId})
      on conflict (company_id, lid) do nothing
      returning mapping_id::text, false as done)
    select mapping_id, done from claimed
    union all
    select mapping_id::text, erased_at is not null from late_lid_erasures
    where company_id = ${companyId} and lid = ${lid}`.execute(db);
  const row = rows[0];
  return row && !row.done ? row.mapping_id : undefined;
}

/**
 * Deletes the id's key, the first time only (in the statement that records it is deleted): a repeat after a
 * crash must not delete the key the contact's new messages by that id got since. Every process is told to
 * forget the keys it holds, as an erasure does.
 */
export async function destroyLidKeyOnce<T>(
  db: Kysely<T>,
  companyId: string,
  lid: string,
  keyContact: string,
): Promise<void> {
  await sql`with taken as (
      update late_lid_erasures set key_destroyed = true
      where company_id = ${companyId} and lid = ${lid} and not key_destroyed
      returning company_id)
    delete from contact_keys
    where company_id = ${companyId} and contact = ${keyContact} and exists (select 1 from taken)`.execute(db);
  await sql`select pg_notify(${contactKeysChannel}, '')`.execute(db);
}

export async function finishLateLid<T>(db: Kysely<T>, companyId: string, lid: string): Promise<void> {
  await sql`update late_lid_erasures set erased_at = now()
    where company_id = ${companyId} and lid = ${lid} and erased_at is null`.execute(db);
}

/** The mappings of erasures taken up and not finished (their process stopped halfway), oldest first. */
export async function unfinishedLateLids<T>(db: Kysely<T>, limit: number): Promise<string[]> {
  const { rows } = await sql<{ mapping_id: string }>`select mapping_id::text from late_lid_erasures
    where erased_at is null order by claimed_at limit ${limit}`.execute(db);
  return rows.map((row) => row.mapping_id);
}
