import { sql, type Kysely } from 'kysely';

const tables = [
  'Sessions',
  'Clients',
  'Chats',
  'Messages',
  'Session_Logs',
  'Message_Actions',
  'Early_Message_Changes',
  'Groups',
  'Client_Lids',
] as const;

/** Every row of the read models, in a stable order, as plain JSON: two dumps are equal when the tables are. */
export async function dumpReadModels<T>(
  db: Kysely<T>,
  schema = 'public',
): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order = table === 'Client_Lids' ? sql`"Company_Id", "Lid"` : sql`"Id"`;
    const { rows } = await sql`select * from ${sql.table(`${schema}.${table}`)} order by ${order}`.execute(
      db,
    );
    dump[table] = JSON.parse(JSON.stringify(rows)) as unknown[];
  }
  return dump;
}
