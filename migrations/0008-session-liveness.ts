import { sql, type Kysely } from 'kysely';

/**
 * Heartbeats leave the Sessions read model: only projectors write read models, and a rebuild must give the
 * same rows. Liveness is telemetry in a table of its own, which the session reads join.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table session_liveness (
      "Session_Id" uuid primary key,
      "Last_Heartbeat" timestamptz not null
    )`.execute(db);
  const { rows } = await sql<{ present: boolean }>`
    select exists (select 1 from information_schema.columns
      where table_schema = current_schema() and table_name = 'Sessions' and column_name = 'Last_Heartbeat') as present`.execute(
    db,
  );
  if (!rows[0]?.present) return;
  await sql`insert into session_liveness ("Session_Id", "Last_Heartbeat")
    select "Id", "Last_Heartbeat" from "Sessions" where "Last_Heartbeat" is not null`.execute(db);
  await sql`alter table "Sessions" drop column "Last_Heartbeat"`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Sessions" add column "Last_Heartbeat" timestamptz`.execute(db);
  await sql`update "Sessions" set "Last_Heartbeat" = l."Last_Heartbeat"
    from session_liveness l where l."Session_Id" = "Sessions"."Id"`.execute(db);
  await sql`drop table session_liveness`.execute(db);
}
