import { sql, type Kysely } from 'kysely';

/**
 * Files sent as media: kept in the database so that whichever gateway process sends the message can read them.
 * Events refer to a file by its id (`media.location = db:<id>`), never carry the bytes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table media_files (
      id uuid primary key,
      session_id uuid not null,
      mimetype text not null,
      file_name text,
      size integer not null,
      sha256 text not null,
      data bytea not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table media_files`.execute(db);
}
