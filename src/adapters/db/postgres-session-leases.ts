import { sql, type Kysely } from 'kysely';
import type { LeaseRenewal, SessionLeases } from '../../app/session-leases.js';
import type { ReadModelSchema } from './read-model-schema.js';

const interval = (ttlMs: number) => `${ttlMs} milliseconds`;

/** Session leases in the shared database: the row is taken only when free, expired, or already the caller's. */
export function createPostgresSessionLeases(db: Kysely<ReadModelSchema>): SessionLeases {
  const take = async (sessionId: string, owner: string, ttlMs: number) => {
    const { rows } = await sql<{ session_id: string }>`
      insert into session_leases (session_id, owner, expires_at)
      values (${sessionId}, ${owner}, now() + ${interval(ttlMs)}::interval)
      on conflict (session_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
      where session_leases.owner = excluded.owner or session_leases.expires_at < now()
      returning session_id`.execute(db);
    return rows.length === 1;
  };
  return {
    acquire: take,
    // One statement per beat, whatever the number of sessions: membership, leases and the cluster's spread.
    // The spread is read from the snapshot before this statement's own writes, which only extend our rows.
    async renew(sessionIds, owner, ttlMs): Promise<LeaseRenewal> {
      const { rows } = await sql<{
        kept: string[];
        members: number;
        least: number;
        least_owner: string | null;
      }>`
        with member as (
          insert into gateway_members (owner, expires_at) values (${owner}, now() + ${interval(ttlMs)}::interval)
          on conflict (owner) do update set expires_at = excluded.expires_at
          returning owner
        ), renewed as (
          insert into session_leases (session_id, owner, expires_at)
          select id, ${owner}, now() + ${interval(ttlMs)}::interval from unnest(${sessionIds}::uuid[]) as id
          on conflict (session_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
          where session_leases.owner = excluded.owner or session_leases.expires_at < now()
          returning session_id
        ), live as (
          select owner from gateway_members where expires_at > now() and owner <> ${owner}
          union all select owner from member
        ), held as (
          select live.owner, count(l.session_id)::int as sessions
          from live left join session_leases l on l.owner = live.owner and l.expires_at > now()
          where live.owner <> ${owner}
          group by live.owner
          union all select ${owner}, (select count(*)::int from renewed)
        ), forgotten as (
          -- Processes gone for a day (crashed on another host) leave no row behind.
          delete from gateway_members where expires_at < now() - interval '1 day' returning owner
        )
        select (select coalesce(array_agg(session_id::text), '{}') from renewed) as kept,
          (select count(*)::int from held) as members,
          (select min(sessions)::int from held) as least,
          (select owner from held where owner <> ${owner} order by sessions, owner limit 1) as least_owner`.execute(
        db,
      );
      const row = rows[0];
      const kept = new Set(row?.kept ?? []);
      return {
        lost: sessionIds.filter((id) => !kept.has(id)),
        members: row?.members ?? 1,
        least: row?.least ?? 0,
        ...(row?.least_owner ? { leastOwner: row.least_owner } : {}),
      };
    },
    async join(owner, ttlMs) {
      const { rows } = await sql<{ members: number }>`
        with member as (
          insert into gateway_members (owner, expires_at) values (${owner}, now() + ${interval(ttlMs)}::interval)
          on conflict (owner) do update set expires_at = excluded.expires_at
          returning owner
        )
        select (select count(*)::int from gateway_members where expires_at > now() and owner <> ${owner}) + 1
          as members`.execute(db);
      return rows[0]?.members ?? 1;
    },
    async unheld(sessionIds) {
      if (sessionIds.length === 0) return [];
      const { rows } = await sql<{ id: string }>`
        select id::text from unnest(${sessionIds}::uuid[]) as id
        where not exists (select 1 from session_leases l where l.session_id = id and l.expires_at > now())`.execute(
        db,
      );
      return rows.map((row) => row.id);
    },
    async releaseAllOf(owners) {
      if (owners.length === 0) return;
      await sql`delete from session_leases where owner = any (${[...owners]}::text[])`.execute(db);
      await sql`delete from gateway_members where owner = any (${[...owners]}::text[])`.execute(db);
    },
    async owners() {
      const { rows } = await sql<{ owner: string }>`
        select owner from session_leases union select owner from gateway_members`.execute(db);
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
