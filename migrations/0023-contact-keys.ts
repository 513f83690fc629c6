import { sql, type Kysely } from 'kysely';

/**
 * Crypto-shredding (README, "Privacy: crypto-shredding"): one data key per company and contact, which seals the
 * contact's personal fields in stored events; erasing a contact deletes its key. `data_key_check` remembers how
 * the keys are stored (wrapped by DATA_KEY or not, and by which), so that a process started with another
 * DATA_KEY refuses to run instead of writing keys nobody can read. Messages may lose their body to an erasure
 * (a database created from 0002 onwards has that shape already).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table contact_keys (
      company_id text not null,
      contact text not null,
      key_id uuid not null unique,
      key bytea not null,
      created_at timestamptz not null default now(),
      primary key (company_id, contact)
    )`.execute(db);
  await sql`create table data_key_check (
      id boolean primary key default true check (id),
      wrapped boolean not null,
      check_value text,
      hash_salt bytea not null
    )`.execute(db);
  await sql`alter table "Messages" alter column "Body" drop not null`.execute(db);
  await sql`alter table "Messages" add column if not exists "Erased" boolean not null default false`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Messages" drop column "Erased"`.execute(db);
  await sql`update "Messages" set "Body" = '' where "Body" is null`.execute(db);
  await sql`alter table "Messages" alter column "Body" set not null`.execute(db);
  await sql`drop table data_key_check`.execute(db);
  await sql`drop table contact_keys`.execute(db);
}
