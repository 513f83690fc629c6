import { sql, type Kysely } from 'kysely';
import { createReadModelTablesIfMissing } from './0002-read-models.js';

const added = ['Message_Actions', 'Early_Message_Changes'] as const;

/**
 * Read models for conversations: the reactions, edits and deletions the gateway was asked to make
 * (`Message_Actions`, the outbox's record of them), and the changes WhatsApp reported before the message they
 * change (`Early_Message_Changes`, applied and removed once it arrives). A database created from 0002 onwards
 * has them already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createReadModelTablesIfMissing(db, added);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of added) await sql`drop table if exists ${sql.table(table)}`.execute(db);
}
