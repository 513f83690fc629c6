import { sql, type Kysely } from 'kysely';

/**
 * The read models clients query, with the table and column names of the system zapledger replaces.
 * Every row is derived from events: ids and times come from the events, never from now() or random(),
 * so a rebuild produces the same rows. `Last_Revision` is the revision of the row's stream last applied to it,
 * which makes applying an event twice harmless.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statements of Object.values(readModelTables('public'))) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  }
  await sql`
    create table projection_checkpoints (
      name text primary key,
      checkpoint text,
      events_applied bigint not null default 0,
      last_error text,
      last_error_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'Client_Lids',
    'Groups',
    'Early_Message_Changes',
    'Message_Actions',
    'Session_Logs',
    'Messages',
    'Chats',
    'Clients',
    'Sessions',
    'projection_checkpoints',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}

/**
 * Creates read-model tables a later migration adds, unless they are there already (a database created from 0002
 * onwards has every table this file lists).
 */
export async function createReadModelTablesIfMissing(
  db: Kysely<unknown>,
  tables: readonly ReadModelTableName[],
): Promise<void> {
  const statements = readModelTables('public');
  for (const table of tables)
    for (const statement of statements[table])
      await sql
        .raw(
          statement
            .replace(/^\s*create table /, 'create table if not exists ')
            .replace(/^\s*create index /, 'create index if not exists '),
        )
        .execute(db);
}

/** The statements that create each read-model table in a schema; a rebuild uses them for its fresh copy. */
export function readModelTables(schema: string): Record<ReadModelTableName, string[]> {
  const t = (name: string) => `"${schema}"."${name}"`;
  const i = (name: string) => `"${schema}_${name}"`.replace(/^"public_/, '"');
  return {
    Sessions: [
      `create table ${t('Sessions')} (
      "Id" uuid primary key,
      "Company_Id" text not null,
      "Session_Name" text not null,
      "Phone_Number" text,
      "Status" smallint not null default 0 check ("Status" between 0 and 4),
      "Session_Token_Hash" text,
      "Qr_Code" text,
      "Qr_Expires_At" timestamptz,
      "Pairing_Code" text,
      "Wa_Id" text,
      "Desired_State" text not null default 'stopped',
      "Created_At" timestamptz not null,
      "Updated_At" timestamptz not null,
      "Deleted_At" timestamptz,
      "Last_Revision" bigint not null
    )`,
      `create index ${i('sessions_by_company')} on ${t('Sessions')} ("Company_Id") where "Deleted_At" is null`,
    ],
    Clients: [
      `create table ${t('Clients')} (
      "Id" uuid primary key,
      "Company_Id" text not null,
      "Client_Name" text,
      "Wa_Number" text not null,
      "Profile_Picture_Url" text,
      "Profile_Picture_Sha256" text,
      "Last_Contact_At" timestamptz,
      "Created_At" timestamptz not null,
      constraint ${i('clients_company_number')} unique ("Company_Id", "Wa_Number")
    )`,
    ],
    Chats: [
      `create table ${t('Chats')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Company_Id" text not null,
      "Chat_Id" text not null,
      "Chat_Type" text not null check ("Chat_Type" in ('individual', 'group')),
      "Chat_Name" text,
      "Client_Id" uuid,
      "Last_Message" text,
      "Last_Message_Time" timestamptz,
      "Unread_Count" integer not null default 0,
      "Created_At" timestamptz not null,
      "Last_Revision" bigint not null,
      constraint ${i('chats_session_chat')} unique ("Session_Id", "Chat_Id")
    )`,
      `create index ${i('chats_by_recent_message')} on ${t('Chats')} ("Session_Id", "Last_Message_Time" desc nulls last)`,
    ],
    Messages: [
      `create table ${t('Messages')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Company_Id" text not null,
      "Chat_Id" text not null,
      "Wa_Message_Id" text,
      "Direction" text not null check ("Direction" in ('IN', 'OUT')),
      "Message_Type" text not null,
      "Body" text,
      "Media_Mimetype" text,
      "Media_Caption" text,
      "Media_File_Name" text,
      "Media_Size" bigint,
      "Media_Location" text,
      "Media_Sha256" text,
      "Media_Download_Error" text,
      "Status" smallint not null check ("Status" between 0 and 5),
      "Wa_Timestamp" bigint not null,
      "Sender" text not null,
      "Sender_Name" text,
      "Recipient" text not null,
      "From_Me" boolean not null,
      "Is_Revoked" boolean not null default false,
      "Failure_Reason" text,
      "Quoted_Id" text,
      "Mentions" jsonb,
      "Location" jsonb,
      "Contacts" jsonb,
      "Poll" jsonb,
      "Poll_Votes" jsonb,
      "Reactions" jsonb,
      "Edited_At" bigint,
      "Erased" boolean not null default false,
      "Created_Revision" bigint not null,
      "Last_Revision" bigint not null
    )`,
      `create unique index ${i('messages_by_wa_id')} on ${t('Messages')} ("Session_Id", "Wa_Message_Id")
      where "Wa_Message_Id" is not null`,
      `create index ${i('messages_by_chat_time')} on ${t('Messages')}
      ("Session_Id", "Chat_Id", "Wa_Timestamp" desc, "Created_Revision" desc)`,
      // The outbox's pending sends (taken up on start, counted by the metrics): few rows, whatever the history.
      `create index ${i('messages_pending_sends')} on ${t('Messages')} ("Created_Revision")
      where "Direction" = 'OUT' and "Wa_Message_Id" is null and "Status" = 1`,
      // Which messages carry a kept file (retention keeps a file a recent message still carries).
      `create index ${i('messages_by_media')} on ${t('Messages')} ("Company_Id", "Media_Sha256")
      where "Media_Sha256" is not null`,
      // Which message refers to a send-media file (the sweep of files a crash left behind; 0030).
      `create index ${i('messages_by_media_location')} on ${t('Messages')} ("Media_Location")
      where "Media_Location" is not null`,
      // Files announced but neither kept nor given up on: taken up again when their session connects.
      `create index ${i('messages_media_pending')} on ${t('Messages')} ("Session_Id")
      where "Media_Mimetype" is not null and "Media_Sha256" is null and "Media_Download_Error" is null
      and "Media_Location" is null`,
    ],
    Session_Logs: [
      `create table ${t('Session_Logs')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Company_Id" text not null,
      "Level" text not null check ("Level" in ('info', 'warn', 'error')),
      "Event_Type" text not null,
      "Message" text not null,
      "Metadata" jsonb not null,
      "Created_At" timestamptz not null
    )`,
      `create index ${i('session_logs_by_session_time')} on ${t('Session_Logs')} ("Session_Id", "Created_At")`,
      // Added by migration 0033: the late @lid erasure's sweep (by time) and "learned before" (by company and id).
      `create index ${i('session_logs_lid_mappings_by_time')} on ${t('Session_Logs')} ("Created_At", "Id")
      where "Event_Type" = 'ContactLidMapped'`,
      `create index ${i('session_logs_lid_mappings_by_lid')} on ${t('Session_Logs')}
      ("Company_Id", ("Metadata"->>'lid')) where "Event_Type" = 'ContactLidMapped'`,
      // Added by migration 0035: a contact's calls, which its erasure rewrites.
      `create index ${i('session_logs_calls_by_caller')} on ${t('Session_Logs')}
      ("Company_Id", ("Metadata"->>'from')) where "Event_Type" = 'IncomingCallReceived'`,
    ],
    // Added by migration 0017: changes to messages asked through the outbox, and changes that arrived before
    // their message.
    Message_Actions: [
      `create table ${t('Message_Actions')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Company_Id" text not null,
      "Chat_Id" text not null,
      "Action" text not null check ("Action" in ('react', 'edit', 'revoke')),
      "Target_Wa_Id" text not null,
      "Body" text not null,
      "Status" smallint not null check ("Status" between 0 and 5),
      "Failure_Reason" text,
      "Created_Revision" bigint not null,
      "Last_Revision" bigint not null
    )`,
      `create index ${i('message_actions_pending')} on ${t('Message_Actions')} ("Created_Revision")
      where "Status" = 1`,
    ],
    Early_Message_Changes: [
      `create table ${t('Early_Message_Changes')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Wa_Message_Id" text not null,
      "Event_Type" text not null,
      "Data" jsonb not null,
      "Revision" bigint not null,
      "Recorded_At" timestamptz,
      "Chat_Id" text
    )`,
      `create index ${i('early_message_changes_by_message')} on ${t('Early_Message_Changes')}
      ("Wa_Message_Id", "Session_Id", "Revision")`,
      `create index ${i('early_message_changes_by_age')} on ${t('Early_Message_Changes')}
      ("Session_Id", "Recorded_At")`,
      // Added by migration 0036: the chat of each change, which that chat's erasure scrubs.
      `create index ${i('early_message_changes_by_chat')} on ${t('Early_Message_Changes')}
      ("Session_Id", "Chat_Id")`,
    ],
    // Added by migration 0024: the session's groups, their subject and members.
    Groups: [
      `create table ${t('Groups')} (
      "Id" uuid primary key,
      "Session_Id" uuid not null,
      "Company_Id" text not null,
      "Group_Id" text not null,
      "Subject" text,
      "Description" text,
      "Participants" jsonb not null,
      "Is_Member" boolean not null,
      "Created_At" timestamptz not null,
      "Updated_At" timestamptz not null,
      "Last_Chat_Revision" bigint not null,
      "Last_Session_Revision" bigint not null
    )`,
      `create index ${i('groups_by_session')} on ${t('Groups')} ("Session_Id", "Group_Id")`,
    ],
    // Added by migration 0038: which number each linked-device id stands for, as the Clients projection learned
    // it, so that a contact's rows under its id and under its number become one (issue 16).
    Client_Lids: [
      `create table ${t('Client_Lids')} (
      "Company_Id" text not null,
      "Lid" text not null,
      "Phone" text not null,
      "Position" bigint not null,
      primary key ("Company_Id", "Lid")
    )`,
      `create index ${i('client_lids_by_phone')} on ${t('Client_Lids')} ("Company_Id", "Phone")`,
    ],
  };
}

export type ReadModelTableName =
  | 'Sessions'
  | 'Clients'
  | 'Chats'
  | 'Messages'
  | 'Session_Logs'
  | 'Message_Actions'
  | 'Early_Message_Changes'
  | 'Groups'
  | 'Client_Lids';
