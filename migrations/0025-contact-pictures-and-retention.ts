import { sql, type Kysely } from 'kysely';

/**
 * Profile pictures and media retention: a Clients row says which kept file is the contact's picture, Messages
 * are found by the file they carry, and kept files by age. A database created from 0002 onwards has the first
 * two already (0002 holds the current shape, which rebuilds copy).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Clients" add column if not exists "Profile_Picture_Sha256" text`.execute(db);
  await sql`create index if not exists messages_by_media on "Messages" ("Company_Id", "Media_Sha256")
    where "Media_Sha256" is not null`.execute(db);
  await sql`create index if not exists media_blobs_by_age on media_blobs (created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists media_blobs_by_age`.execute(db);
  await sql`drop index if exists messages_by_media`.execute(db);
  await sql`alter table "Clients" drop column if exists "Profile_Picture_Sha256"`.execute(db);
}
