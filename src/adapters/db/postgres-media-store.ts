import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { MediaNotFoundError, type MediaStore } from '../../app/media-store.js';
import type { ReadModelSchema } from './read-model-schema.js';

/**
 * Media files in the `media_files` table, so that any gateway process can send them. The same file (bytes, type
 * and name) saved again for a session, as a replayed send-media request does, is kept once.
 */
export function createPostgresMediaStore(db: Kysely<ReadModelSchema>): MediaStore {
  return {
    async save(sessionId, file) {
      const sha256 = createHash('sha256').update(file.data).digest('hex');
      // Kept already: this save is marked on the row (created_at, then the time of its latest save), so that a
      // refused request that created it does not remove it from under this one (see `remove`).
      const { rows: kept } = await sql<{ id: string; saved_at: string }>`
        update media_files set created_at = greatest(clock_timestamp(), created_at + interval '1 microsecond')
        where id = (
          select id from media_files
          where session_id = ${sessionId} and sha256 = ${sha256} and mimetype = ${file.mimetype}
            and file_name is not distinct from ${file.fileName}
          limit 1)
        returning id, created_at::text as saved_at`.execute(db);
      const size = file.data.length;
      if (kept[0]) return { location: `db:${kept[0].id}`, size, created: false, savedAt: kept[0].saved_at };
      const id = randomUUID();
      const { rows } = await sql<{ saved_at: string }>`
        insert into media_files (id, session_id, mimetype, file_name, size, sha256, data)
        values (${id}, ${sessionId}, ${file.mimetype}, ${file.fileName}, ${size}, ${sha256}, ${file.data})
        returning created_at::text as saved_at`.execute(db);
      return { location: `db:${id}`, size, created: true, savedAt: rows[0]!.saved_at };
    },
    async remove({ location, savedAt }) {
      const id = /^db:([0-9a-f-]{36})$/.exec(location)?.[1];
      if (id)
        await sql`delete from media_files where id = ${id} and created_at = ${savedAt}::timestamptz`.execute(
          db,
        );
    },
    async read(location) {
      const id = /^db:([0-9a-f-]{36})$/.exec(location)?.[1];
      const row = id
        ? await db
            .selectFrom('media_files')
            .select(['data', 'mimetype', 'file_name'])
            .where('id', '=', id)
            .executeTakeFirst()
        : undefined;
      if (!row) throw new MediaNotFoundError(location);
      return { data: Buffer.from(row.data), mimetype: row.mimetype, fileName: row.file_name };
    },
  };
}
