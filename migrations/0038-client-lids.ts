import { sql, type Kysely } from 'kysely';
import { createReadModelTablesIfMissing } from './0002-read-models.js';

/**
 * Which number each linked-device id stands for, kept by the Clients projection (issue 16: a contact WhatsApp
 * shows only by its id gets a Clients row under the id, which joins its number's row once the id is learned).
 * Filled from the mappings the session logs hold, the newest per id; `npm run rebuild` gives the same table from
 * history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createReadModelTablesIfMissing(db, ['Client_Lids']);
  // An erased contact's line names no number ("… is an erased contact"): it is left out.
  await sql`
    insert into "Client_Lids" ("Company_Id", "Lid", "Phone", "Position")
    select distinct on ("Company_Id", lid) "Company_Id", lid, left(phone_jid, -length('@c.us')), position
    from (
      select "Company_Id", "Metadata"->>'lid' as lid, "Metadata"->>'phoneJid' as phone_jid,
        coalesce(("Metadata"->>'position')::bigint, 0) as position, "Created_At"
      from "Session_Logs" where "Event_Type" = 'ContactLidMapped'
    ) mappings
    where lid like '%@lid' and phone_jid like '_%@c.us'
    order by "Company_Id", lid, position desc, "Created_At" desc
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists "Client_Lids"`.execute(db);
}
