import { sql, type Kysely } from 'kysely';

/**
 * The late erasure of a linked-device id (README, "Privacy: crypto-shredding"): one row per company and `@lid`
 * id whose erasure was taken up, so that the live reaction and the sweep that catches up after a crash erase it
 * once (its key destroyed once, `key_destroyed`), and a sweep knows which are done (`erased_at`). The mapping
 * itself stays in Session_Logs (`mapping_id`); no number is kept here. Lid mappings in Session_Logs get indexes
 * for the sweep (by time) and for "was this mapping learned before" (by company and id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table late_lid_erasures (
      company_id text not null,
      lid text not null,
      mapping_id uuid not null,
      key_destroyed boolean not null default false,
      claimed_at timestamptz not null default now(),
      erased_at timestamptz,
      primary key (company_id, lid)
    )`.execute(db);
  await sql`create index late_lid_erasures_unfinished on late_lid_erasures (claimed_at)
    where erased_at is null`.execute(db);
  await sql`create index if not exists session_logs_lid_mappings_by_time on "Session_Logs" ("Created_At", "Id")
    where "Event_Type" = 'ContactLidMapped'`.execute(db);
  await sql`create index if not exists session_logs_lid_mappings_by_lid
    on "Session_Logs" ("Company_Id", ("Metadata"->>'lid'))
    where "Event_Type" = 'ContactLidMapped'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists session_logs_lid_mappings_by_lid`.execute(db);
  await sql`drop index if exists session_logs_lid_mappings_by_time`.execute(db);
  await sql`drop table late_lid_erasures`.execute(db);
}
