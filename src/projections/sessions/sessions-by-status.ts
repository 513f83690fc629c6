import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../../adapters/db/read-model-schema.js';
import { connectionStatuses } from '../../domain/session/session-state.js';

/**
 * How many sessions (not deleted) are in each status, as the API answers it: the recorded status while a live
 * process holds the session's lease, disconnected otherwise (as `liveStatus`). One grouped query.
 */
export async function sessionsByStatus(db: Kysely<ReadModelSchema>): Promise<Map<string, number>> {
  const { rows } = await sql<{ status: number; count: string }>`
    select case when l.session_id is null then 0 else s."Status" end as status, count(*) as count
    from "Sessions" s
    left join session_leases l on l.session_id = s."Id" and l.expires_at > now()
    where s."Deleted_At" is null
    group by 1`.execute(db);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const status = connectionStatuses[Number(row.status)] ?? 'disconnected';
    counts.set(status, (counts.get(status) ?? 0) + Number(row.count));
  }
  return counts;
}
