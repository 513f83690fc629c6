import { sql, type Kysely } from 'kysely';

/** A file saved again for a session (a replayed send-media request) is found by its content, not stored twice. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists media_files_by_content on media_files (session_id, sha256)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists media_files_by_content`.execute(db);
}
