import { sql, type Kysely } from 'kysely';

/**
 * Files WhatsApp announced that were neither kept nor given up on (their download was cut by a crash or a lost
 * session) are found per session when it connects again. A database created from 0002 onwards has it already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists messages_media_pending on "Messages" ("Session_Id")
    where "Media_Mimetype" is not null and "Media_Sha256" is null and "Media_Download_Error" is null
    and "Media_Location" is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists messages_media_pending`.execute(db);
}
