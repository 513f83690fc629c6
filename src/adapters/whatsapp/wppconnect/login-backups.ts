import { sql, type Kysely } from 'kysely';

/** Where sessions' logins are backed up, so that any gateway process can restore them. */
export interface LoginBackups {
  save(sessionId: string, archive: Buffer): Promise<void>;
  load(sessionId: string): Promise<Buffer | undefined>;
  remove(sessionId: string): Promise<void>;
}

/** Login backups in the shared database (migrations/0012). */
export function createPostgresLoginBackups<T>(db: Kysely<T>): LoginBackups {
  return {
    async save(sessionId, archive) {
      await sql`insert into session_login_backups (session_id, archive) values (${sessionId}, ${archive})
        on conflict (session_id) do update set archive = excluded.archive, taken_at = now()`.execute(db);
    },
    async load(sessionId) {
      const { rows } = await sql<{ archive: Buffer | Uint8Array }>`
        select archive from session_login_backups where session_id = ${sessionId}`.execute(db);
      return rows[0] ? Buffer.from(rows[0].archive) : undefined;
    },
    async remove(sessionId) {
      await sql`delete from session_login_backups where session_id = ${sessionId}`.execute(db);
    },
  };
}
