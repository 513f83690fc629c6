import type { ColumnType, Generated } from 'kysely';
import type { JsonObject } from '../event-store/port.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type BigIntColumn = ColumnType<string, string | number | bigint, string | number | bigint>;

export interface SessionsTable {
  Id: string;
  Company_Id: string;
  Session_Name: string;
  Phone_Number: string | null;
  /** 0 disconnected, 1 connecting, 2 qr, 3 connected, 4 pairing. */
  Status: number;
  Session_Token_Hash: string | null;
  Qr_Code: string | null;
  Qr_Expires_At: Timestamp | null;
  /** While linking by phone number: the code to enter on the phone (migrations/0021). */
  Pairing_Code: string | null;
  Wa_Id: string | null;
  Desired_State: string;
  Created_At: Timestamp;
  Updated_At: Timestamp;
  Deleted_At: Timestamp | null;
  Last_Revision: BigIntColumn;
}

/** Liveness telemetry, written by the supervisor, not by projectors: no event says a session is still alive. */
export interface SessionLivenessTable {
  Session_Id: string;
  Last_Heartbeat: Timestamp;
}

export interface StreamSnapshotsTable {
  stream_name: string;
  revision: BigIntColumn;
  version: string;
  state: ColumnType<unknown, string, string>;
  taken_at: Generated<Date>;
}

export interface ClientsTable {
  Id: string;
  Company_Id: string;
  Client_Name: string | null;
  Wa_Number: string;
  Profile_Picture_Url: string | null;
  /** The kept file (by SHA-256) that is the contact's profile picture. */
  Profile_Picture_Sha256: string | null;
  Last_Contact_At: Timestamp | null;
  Created_At: Timestamp;
}

/** The number a linked-device id (`…@lid`) stands for within a company, as the Clients projection learned it. */
export interface ClientLidsTable {
  Company_Id: string;
  Lid: string;
  /** The number (digits), which names the contact's Clients row. */
  Phone: string;
  /** Where in history the mapping was learned: only what came after it is the number's. */
  Position: BigIntColumn;
}

export interface ChatsTable {
  Id: string;
  Session_Id: string;
  Company_Id: string;
  Chat_Id: string;
  Chat_Type: 'individual' | 'group';
  Chat_Name: string | null;
  Client_Id: string | null;
  Last_Message: string | null;
  Last_Message_Time: Timestamp | null;
  Unread_Count: number;
  Created_At: Timestamp;
  Last_Revision: BigIntColumn;
}

export interface MessagesTable {
  Id: string;
  Session_Id: string;
  Company_Id: string;
  Chat_Id: string;
  Wa_Message_Id: string | null;
  Direction: 'IN' | 'OUT';
  Message_Type: string;
  /** Null once the contact's data was erased (README, "Privacy: crypto-shredding"). */
  Body: string | null;
  Media_Mimetype: string | null;
  Media_Caption: string | null;
  Media_File_Name: string | null;
  Media_Size: BigIntColumn | null;
  Media_Location: string | null;
  /** An incoming file kept in the media store (migrations/0022); null while pending or after it failed. */
  Media_Sha256?: string | null;
  /** Why an incoming file could not be kept. */
  Media_Download_Error?: string | null;
  /** Delivery status 0–5 (see message-ack.ts). */
  Status: number;
  /** Unix seconds. */
  Wa_Timestamp: BigIntColumn;
  Sender: string;
  Sender_Name: string | null;
  Recipient: string;
  From_Me: boolean;
  Is_Revoked: Generated<boolean>;
  Failure_Reason: string | null;
  Quoted_Id: string | null;
  Mentions: ColumnType<string[] | null, string | null, string | null>;
  Location: ColumnType<
    { latitude: number; longitude: number; name: string | null } | null,
    string | null,
    string | null
  >;
  Contacts: ColumnType<{ displayName: string | null; vcard: string }[] | null, string | null, string | null>;
  Poll: ColumnType<
    { name: string; options: string[]; selectableCount: number | null } | null,
    string | null,
    string | null
  >;
  /** The latest vote of each voter: voter → chosen options. */
  Poll_Votes: ColumnType<Record<string, string[]> | null, string | null, string | null>;
  /** The latest reaction of each sender: sender → { emoji, timestamp }. */
  Reactions: ColumnType<
    Record<string, { emoji: string; timestamp: number }> | null,
    string | null,
    string | null
  >;
  /** Unix seconds of the last edit. */
  Edited_At: BigIntColumn | null;
  Created_Revision: BigIntColumn;
  Last_Revision: BigIntColumn;
}

/** A reaction, edit or deletion the gateway was asked to make, and what became of it. */
export interface MessageActionsTable {
  Id: string;
  Session_Id: string;
  Company_Id: string;
  Chat_Id: string;
  Action: 'react' | 'edit' | 'revoke';
  /** The WhatsApp id of the message changed. */
  Target_Wa_Id: string;
  /** The emoji, or the new text. */
  Body: string;
  /** 1 pending, 2 done (WhatsApp took it), 0 failed for good. */
  Status: number;
  Failure_Reason: string | null;
  Created_Revision: BigIntColumn;
  Last_Revision: BigIntColumn;
}

/** A change (reaction, edit, vote, deletion) that arrived before its message, kept until the message comes. */
export interface EarlyMessageChangesTable {
  /** The change's event id. */
  Id: string;
  Session_Id: string;
  Wa_Message_Id: string;
  Event_Type: string;
  Data: ColumnType<JsonObject, string, string>;
  /** Its revision in the chat's stream. */
  Revision: BigIntColumn;
  /** When the change was recorded (migrations/0024): kept up to `earlyChangeMaxAgeDays`, then forgotten. */
  Recorded_At: Timestamp | null;
  /** The chat of the change's stream (migrations/0036), which the chat's erasure scrubs. */
  Chat_Id: string | null;
}

/** A group of a session (migrations/0024): its subject and members as the session's events tell them. */
export interface GroupsTable {
  Id: string;
  Session_Id: string;
  Company_Id: string;
  /** The group's JID (`…@g.us`). */
  Group_Id: string;
  Subject: string | null;
  Description: string | null;
  Participants: ColumnType<{ jid: string; isAdmin: boolean }[], string, string>;
  /** False once the session left the group or was removed from it. */
  Is_Member: boolean;
  Created_At: Timestamp;
  Updated_At: Timestamp;
  /** The revisions of the group's chat stream and of the session's stream last applied to the row. */
  Last_Chat_Revision: BigIntColumn;
  Last_Session_Revision: BigIntColumn;
}

export interface SessionLogsTable {
  Id: string;
  Session_Id: string;
  Company_Id: string;
  Level: 'info' | 'warn' | 'error';
  Event_Type: string;
  Message: string;
  Metadata: ColumnType<JsonObject, string, string>;
  Created_At: Timestamp;
}

export interface ProjectionCheckpointsTable {
  name: string;
  checkpoint: string | null;
  events_applied: ColumnType<string, string | undefined, string>;
  last_error: string | null;
  last_error_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IdempotencyKeysTable {
  session_id: string;
  key: string;
  request_hash: string;
  message_id: string;
  chat_jid: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface MediaFilesTable {
  id: string;
  session_id: string;
  mimetype: string;
  file_name: string | null;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ReadModelSchema {
  media_files: MediaFilesTable;
  idempotency_keys: IdempotencyKeysTable;
  Sessions: SessionsTable;
  Clients: ClientsTable;
  Chats: ChatsTable;
  Messages: MessagesTable;
  Session_Logs: SessionLogsTable;
  Message_Actions: MessageActionsTable;
  Early_Message_Changes: EarlyMessageChangesTable;
  Groups: GroupsTable;
  Client_Lids: ClientLidsTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  session_liveness: SessionLivenessTable;
  stream_snapshots: StreamSnapshotsTable;
}
