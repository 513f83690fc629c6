import { sql, type Kysely } from 'kysely';

/**
 * The sweep of send-media files no message refers to (MEDIA_ORPHAN_GRACE_MS): files found by age, and whether a
 * message refers to one found by its location. A database created from 0002 onwards has the Messages index
 * already (0002 holds the current shape, which rebuilds copy).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists media_files_by_age on media_files (created_at)`.execute(db);
  await sql`create index if not exists messages_by_media_location on "Messages" ("Media_Location")
    where "Media_Location" is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists messages_by_media_location`.execute(db);
  await sql`drop index if exists media_files_by_age`.execute(db);
}
