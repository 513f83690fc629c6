import { sql, type Kysely } from 'kysely';

/**
 * Media kept by content. A file saved again for a session (a replayed send-media request) is found by its
 * content, not stored twice. Incoming files are kept once per company by SHA-256 (`media_blobs`), in chunks
 * (`media_chunks`) so that none is read or written as one giant value, and Messages say which file is theirs
 * (a database created from 0002 onwards has those columns already).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists media_files_by_content on media_files (session_id, sha256)`.execute(
    db,
  );
  await sql`create table media_blobs (
      company_id text not null,
      sha256 text not null,
      mimetype text not null,
      size bigint not null,
      chunk_size integer not null,
      created_at timestamptz not null default now(),
      primary key (company_id, sha256)
    )`.execute(db);
  await sql`create table media_chunks (
      company_id text not null,
      sha256 text not null,
      seq integer not null,
      data bytea not null,
      primary key (company_id, sha256, seq),
      foreign key (company_id, sha256) references media_blobs on delete cascade
    )`.execute(db);
  await sql`alter table "Messages"
    add column if not exists "Media_Sha256" text,
    add column if not exists "Media_Download_Error" text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Messages" drop column "Media_Sha256", drop column "Media_Download_Error"`.execute(
    db,
  );
  await sql`drop table media_chunks`.execute(db);
  await sql`drop table media_blobs`.execute(db);
  await sql`drop index if exists media_files_by_content`.execute(db);
}
