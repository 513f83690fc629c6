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
    // One statement for all of a process's sessions, whatever their number.
    async renew(sessionIds, owner, ttlMs) {
      if (sessionIds.length === 0) return [];
      const { rows } = await sql<{ session_id: string }>`
        insert into session_leases (session_id, owner, expires_at)
        select id, ${owner}, now() + ${`${ttlMs} milliseconds`}::interval from unnest(${sessionIds}::uuid[]) as id
        on conflict (session_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
        where session_leases.owner = excluded.owner or session_leases.expires_at < now()
        returning session_id`.execute(db);
      const kept = new Set(rows.map((row) => row.session_id));
      return sessionIds.filter((id) => !kept.has(id));
    },
    async releaseAllOf(owners) {
      if (owners.length === 0) return;
      await sql`delete from session_leases where owner = any (${[...owners]}::text[])`.execute(db);
    },
    async owners() {
      const { rows } = await sql<{ owner: string }>`select distinct owner from session_leases`.execute(db);
      return rows.map((row) => row.owner);
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
