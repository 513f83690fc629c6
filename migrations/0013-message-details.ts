import { sql, type Kysely } from 'kysely';

/**
 * Messages keep what WhatsApp reports beside the text: the message replied to, mentions, a location, shared
 * contacts, a poll and its votes, reactions (the latest per sender) and the time of the last edit. A database
 * created from 0002 onwards has them already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Messages"
    add column if not exists "Quoted_Id" text,
    add column if not exists "Mentions" jsonb,
    add column if not exists "Location" jsonb,
    add column if not exists "Contacts" jsonb,
    add column if not exists "Poll" jsonb,
    add column if not exists "Poll_Votes" jsonb,
    add column if not exists "Reactions" jsonb,
    add column if not exists "Edited_At" bigint`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table "Messages"
    drop column "Quoted_Id", drop column "Mentions", drop column "Location", drop column "Contacts",
    drop column "Poll", drop column "Poll_Votes", drop column "Reactions", drop column "Edited_At"`.execute(
    db,
  );
}
