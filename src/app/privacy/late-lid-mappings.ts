import { sql, type Kysely } from 'kysely';

/** A `ContactLidMapped` as the company's session logs keep it. */
export interface LidMapping {
  id: string;
  companyId: string;
  lid: string;
  /** Empty once the contact was erased (its line in the logs was scrubbed). */
  phoneJid: string;
  /** The contact's keyed hash (domain/privacy/contact-hash.ts); absent from mappings stored before it was kept. */
  contactHash: string | undefined;
  /** Its position in the store's global order. */
  position: bigint;
  correlationId: string | undefined;
  recordedAt: Date;
}

interface MappingRow {
  id: string;
  company_id: string;
  lid: string | null;
  phone_jid: string | null;
  contact_hash: string | null;
  position: string | null;
  correlation_id: string | null;
  created_at: Date | string;
}

const columns = sql`"Id"::text as id, "Company_Id" as company_id, "Metadata"->>'lid' as lid,
  "Metadata"->>'phoneJid' as phone_jid, "Metadata"->>'contactHash' as contact_hash,
  "Metadata"->>'position' as position,
  "Metadata"->>'correlationId' as correlation_id, "Created_At" as created_at`;

/**
 * A page of the mappings recorded at or after `since`, after `after` (time, then id), leaving out the ids whose
 * late erasure is done (migrations/0033's indexes).
 */
export async function lidMappingsSince<T>(
  db: Kysely<T>,
  since: Date,
  after: LidMapping | undefined,
  limit: number,
): Promise<LidMapping[]> {
  const from = after ? sql`("Created_At", "Id") > (${after.recordedAt}, ${after.id}::uuid)` : sql`true`;
  const { rows } = await sql<MappingRow>`select ${columns} from "Session_Logs" s
    where "Event_Type" = 'ContactLidMapped' and "Created_At" >= ${since} and ${from}
      and not exists (select 1 from late_lid_erasures e where e.company_id = s."Company_Id"
        and e.lid = s."Metadata"->>'lid' and e.erased_at is not null)
    order by "Created_At", "Id" limit ${limit}`.execute(db);
  return rows.flatMap(mappingOf);
}

export async function lidMappingsById<T>(db: Kysely<T>, ids: readonly string[]): Promise<LidMapping[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<MappingRow>`select ${columns} from "Session_Logs"
    where "Id" = any(${ids}::uuid[]) and "Event_Type" = 'ContactLidMapped'`.execute(db);
  return rows.flatMap(mappingOf);
}

/**
 * Whether the company's sessions learned this mapping before (an earlier one in the store's order, by number
 * or, once that line was erased, by the contact's hash): only the first is late. On EventStoreDB the one just stored may not be in the logs yet; the earlier ones are.
 */
export async function learnedBefore<T>(
  db: Kysely<T>,
  mapping: LidMapping,
  contactHash: string,
): Promise<boolean> {
  const { rows } = await sql`select 1 from "Session_Logs"
    where "Company_Id" = ${mapping.companyId} and "Event_Type" = 'ContactLidMapped'
      and "Metadata"->>'lid' = ${mapping.lid}
      and ("Metadata"->>'phoneJid' = ${mapping.phoneJid} or "Metadata"->>'contactHash' = ${contactHash})
      and ("Metadata"->>'position')::numeric < ${mapping.position.toString()}::numeric
    limit 1`.execute(db);
  return rows.length > 0;
}

function mappingOf(row: MappingRow): LidMapping[] {
  if (row.lid === null || row.phone_jid === null || row.position === null) return [];
  return [
    {
      id: row.id,
      companyId: row.company_id,
      lid: row.lid,
      phoneJid: row.phone_jid,
      contactHash: row.contact_hash ?? undefined,
      position: BigInt(row.position),
      correlationId: row.correlation_id ?? undefined,
      recordedAt: new Date(row.created_at),
    },
  ];
}
