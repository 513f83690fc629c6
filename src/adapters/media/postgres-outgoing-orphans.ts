import { sql, type Kysely } from 'kysely';

/** Files deleted per statement, so that one sweep never holds many rows (or their bytes) at once. */
const page = 200;

/**
 * Deletes send-media files (`media_files`, migrations/0004) last saved before `savedBefore` that no message refers
 * to (`Messages.Media_Location = db:<id>`), and answers how many. The save time is checked again on the row
 * being deleted, so a save of the same file meanwhile (a replayed request, which renews it) keeps it.
 */
export async function deleteOutgoingOrphans<T>(db: Kysely<T>, savedBefore: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rows } = await sql<{ id: string }>`
      delete from media_files
      where created_at < ${savedBefore}
        and id in (
          select f.id from media_files f
          where f.created_at < ${savedBefore}
            and not exists (select 1 from "Messages" m where m."Media_Location" = 'db:' || f.id::text)
          order by f.created_at
          limit ${page})
      returning id`.execute(db);
    deleted += rows.length;
    if (rows.length < page) return deleted;
  }
}
