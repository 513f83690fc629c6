import { sql, type Kysely } from 'kysely';
import type { SingletonLeases } from '../../app/singleton.js';

/** Singleton leases in the shared database (migrations/0010): taken only when free, expired, or already ours. */
export function createPostgresSingletonLeases<T>(db: Kysely<T>): SingletonLeases {
  return {
    async hold(name, owner, ttlMs) {
      const { rows } = await sql<{ name: string }>`
        insert into singleton_leases (name, owner, expires_at)
        values (${name}, ${owner}, now() + ${`${ttlMs} milliseconds`}::interval)
        on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at
        where singleton_leases.owner = excluded.owner or singleton_leases.expires_at < now()
        returning name`.execute(db);
      return rows.length === 1;
    },
    async release(name, owner) {
      await sql`delete from singleton_leases where name = ${name} and owner = ${owner}`.execute(db);
    },
  };
}
