import type { PreparedQuery } from '../messages/chat-messages.js';

interface ChatRow {
  session_found: string;
  Chat_Id: string | null;
  Chat_Name: string | null;
  Last_Message_Time: Date | string | null;
  Unread_Count: number | null;
}

// The tenancy check and the page in one statement; no row: no such session in the caller's company.
const chatsPage = `
  select s."Id" as session_found, c.*
  from "Sessions" s
  left join lateral (
    select "Chat_Id", "Chat_Name", "Last_Message_Time", "Unread_Count" from "Chats"
    where "Session_Id" = s."Id"
    order by "Last_Message_Time" desc nulls last
    limit $3) c on true
  where s."Id" = $1::uuid and s."Company_Id" = $2 and s."Deleted_At" is null`;

/** A session's chats, most recent first; undefined when the session is not one of the company's. */
export async function sessionChats(
  query: PreparedQuery,
  companyId: string,
  sessionId: string,
  limit: number,
) {
  const rows = await query<ChatRow>('session-chats', chatsPage, [sessionId, companyId, limit]);
  if (rows.length === 0) return undefined;
  return rows
    .filter((row) => row.Chat_Id !== null)
    .map((row) => ({
      id: row.Chat_Id!,
      name: row.Chat_Name,
      lastMessageTime: row.Last_Message_Time
        ? Math.floor(new Date(row.Last_Message_Time).getTime() / 1000)
        : null,
      unreadCount: Number(row.Unread_Count),
    }));
}
