import { sql, type Kysely } from 'kysely';
import type { SessionLeases } from '../../app/session-leases.js';
import type { ReadModelSchema } from './read-model-schema.js';

/** Session leases in the shared database: the row is taken only when free, expired, or already the caller's. */
export function createPostgresSessionLeases(db: Kysely<ReadModelSchema>): SessionLeases {
  const take = async (sessionId: string, owner: string, ttlMs: number) => {
    const { rows } = await sql<{ session_id: string }>`
      insert into session_leases (session_id, owner, expires_at)
      values (${sessionId}, ${owner}, now() + ${`${ttlMs} milliseconds`}::interval)
      on conflict (session_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
      where session_leases.owner = excluded.owner or session_leases.expires_at < now()
      returning session_id`.execute(db);
    return rows.length === 1;
  };
  return {
    acquire: take,
    async renew(sessionIds, owner, ttlMs) {
      const lost: string[] = [];
      for (const id of sessionIds) if (!(await take(id, owner, ttlMs))) lost.push(id);
      return lost;
    },
    async release(sessionId, owner) {
      await sql`delete from session_leases where session_id = ${sessionId} and owner = ${owner}`.execute(db);
    },
    async isHeld(sessionId) {
      const { rows } =
        await sql`select 1 from session_leases where session_id = ${sessionId} and expires_at > now()`.execute(
          db,
        );
      return rows.length > 0;
    },
  };
}
