import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';

/** Sessions whose last request was start and that still exist: the supervisor restores them on boot. */
export async function sessionsToRestore(
  db: Kysely<ReadModelSchema>,
): Promise<{ sessionId: string; companyId: string }[]> {
  const rows = await db
    .selectFrom('Sessions')
    .select(['Id', 'Company_Id'])
    .where('Desired_State', '=', 'running')
    .where('Deleted_At', 'is', null)
    .orderBy('Created_At')
    .execute();
  return rows.map((row) => ({ sessionId: row.Id, companyId: row.Company_Id }));
}

/** Heartbeats are telemetry, never events: one statement for all the sessions that answered. */
export async function recordHeartbeats(
  db: Kysely<ReadModelSchema>,
  sessionIds: string[],
  at: Date,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .insertInto('session_liveness')
    .values(sessionIds.map((id) => ({ Session_Id: id, Last_Heartbeat: at })))
    .onConflict((oc) => oc.column('Session_Id').doUpdateSet({ Last_Heartbeat: at }))
    .execute();
}

/** Of these sessions, those whose last request was stop. */
export async function sessionsAskedToStop(
  db: Kysely<ReadModelSchema>,
  sessionIds: string[],
): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const rows = await db
    .selectFrom('Sessions')
    .select('Id')
    .where('Id', 'in', sessionIds)
    .where('Desired_State', '=', 'stopped')
    .execute();
  return rows.map((row) => row.Id);
}

/** The live gateway process that holds the session's lease, if any. */
export async function liveOwnerOf(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
): Promise<string | undefined> {
  const { rows } = await sql<{ owner: string }>`select owner from session_leases
    where session_id = ${sessionId}::uuid and expires_at > now()`.execute(db);
  return rows[0]?.owner;
}
