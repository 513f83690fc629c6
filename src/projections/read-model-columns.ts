import type { Insertable } from 'kysely';
import type {
  ChatsTable,
  ClientsTable,
  MessagesTable,
  SessionLogsTable,
} from '../adapters/db/read-model-schema.js';
import type { ColumnTypes } from './unnest-rows.js';

/** Column types of the read models that projectors insert in batches (as in migration 0002). */
export const messagesColumns: ColumnTypes<Insertable<MessagesTable>> = {
  Id: 'uuid',
  Session_Id: 'uuid',
  Company_Id: 'text',
  Chat_Id: 'text',
  Wa_Message_Id: 'text',
  Direction: 'text',
  Message_Type: 'text',
  Body: 'text',
  Media_Mimetype: 'text',
  Media_Caption: 'text',
  Media_File_Name: 'text',
  Media_Size: 'bigint',
  Media_Location: 'text',
  Media_Sha256: 'text',
  Media_Download_Error: 'text',
  Status: 'smallint',
  Wa_Timestamp: 'bigint',
  Sender: 'text',
  Sender_Name: 'text',
  Recipient: 'text',
  From_Me: 'boolean',
  Is_Revoked: 'boolean',
  Failure_Reason: 'text',
  Quoted_Id: 'text',
  Mentions: 'jsonb',
  Location: 'jsonb',
  Contacts: 'jsonb',
  Poll: 'jsonb',
  Poll_Votes: 'jsonb',
  Reactions: 'jsonb',
  Edited_At: 'bigint',
  Created_Revision: 'bigint',
  Last_Revision: 'bigint',
};

export const clientsColumns: ColumnTypes<Insertable<ClientsTable>> = {
  Id: 'uuid',
  Company_Id: 'text',
  Client_Name: 'text',
  Wa_Number: 'text',
  Profile_Picture_Url: 'text',
  Profile_Picture_Sha256: 'text',
  Last_Contact_At: 'timestamptz',
  Created_At: 'timestamptz',
};

export const chatsColumns: ColumnTypes<Insertable<ChatsTable>> = {
  Id: 'uuid',
  Session_Id: 'uuid',
  Company_Id: 'text',
  Chat_Id: 'text',
  Chat_Type: 'text',
  Chat_Name: 'text',
  Client_Id: 'uuid',
  Last_Message: 'text',
  Last_Message_Time: 'timestamptz',
  Unread_Count: 'integer',
  Created_At: 'timestamptz',
  Last_Revision: 'bigint',
};

export const sessionLogsColumns: ColumnTypes<Insertable<SessionLogsTable>> = {
  Id: 'uuid',
  Session_Id: 'uuid',
  Company_Id: 'text',
  Level: 'text',
  Event_Type: 'text',
  Message: 'text',
  Metadata: 'jsonb',
  Created_At: 'timestamptz',
};
