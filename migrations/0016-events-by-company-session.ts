import { sql, type Kysely } from 'kysely';

/**
 * The audit trail of one session (GET /audit/sessions/:id/events) reads the events of that company's session in
 * commit order through this index, never the other tenants' events. An index on expressions of the metadata
 * every event carries (src/domain/event-metadata.ts): the append writes nothing more for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index events_by_company_session
    on events ((metadata ->> 'companyId'), (metadata ->> 'sessionId'), transaction_id, position)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index events_by_company_session`.execute(db);
}
