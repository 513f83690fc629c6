import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReadModelSchema, SessionsTable } from '../../adapters/db/read-model-schema.js';
import type { SessionReply } from '../../api/schemas/session-schemas.js';

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/**
 * A Sessions row with its last heartbeat (liveness is kept apart from the read model) and whether a live
 * gateway process holds the session's lease.
 */
export type SessionRow = Selectable<SessionsTable> & {
  Last_Heartbeat: Date | string | null;
  Runs: boolean;
};

/** Sessions rows joined with their liveness and lease; the caller adds its conditions. */
export function sessionRows(db: Kysely<ReadModelSchema>) {
  return db
    .selectFrom('Sessions')
    .leftJoin('session_liveness', 'session_liveness.Session_Id', 'Sessions.Id')
    .selectAll('Sessions')
    .select('session_liveness.Last_Heartbeat')
    .select(
      sql<boolean>`exists (select 1 from session_leases
        where session_leases.session_id = "Sessions"."Id" and session_leases.expires_at > now())`.as('Runs'),
    );
}

/**
 * The status to answer: the recorded one while a live process runs the session; disconnected once none does
 * (its process died and the lease ran out), whatever was recorded last.
 */
export function liveStatus(row: Pick<SessionRow, 'Status' | 'Runs'>): number {
  return row.Runs ? row.Status : 0;
}

/** A Sessions row as the registry answers it; the token hash and QR code never leave the server. */
export function toSessionReply(row: SessionRow): SessionReply {
  return {
    Id: row.Id,
    Company_Id: row.Company_Id,
    Session_Name: row.Session_Name,
    Phone_Number: row.Phone_Number,
    Status: liveStatus(row),
    Last_Heartbeat: iso(row.Last_Heartbeat),
    Created_At: iso(row.Created_At)!,
    Updated_At: iso(row.Updated_At)!,
  };
}

export function companySessions(db: Kysely<ReadModelSchema>, companyId: string) {
  return sessionRows(db)
    .where('Company_Id', '=', companyId)
    .where('Deleted_At', 'is', null)
    .orderBy('Created_At')
    .orderBy('Id')
    .execute();
}

/**
 * Waits until the Sessions projection has applied a session's stream up to `revision`, so that a client reads
 * its own write in the reply and in the next request. Gives up after `timeoutMs` and answers what is there.
 */
export async function sessionAtRevision(
  db: Kysely<ReadModelSchema>,
  sessionId: string,
  revision: bigint,
  timeoutMs = 5000,
): Promise<SessionRow | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await sessionRows(db).where('Id', '=', sessionId).executeTakeFirst();
    if ((row && BigInt(row.Last_Revision) >= revision) || Date.now() > deadline) return row;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
