import type { Selectable } from 'kysely';
import type { MessagesTable } from '../../adapters/db/read-model-schema.js';
import { HttpError } from '../../api/http-errors.js';
import type { MessageShape } from '../../api/schemas/whatsapp-schemas.js';

/** The erasure flag of a Messages row (migrations/0023), read with `select *`. */
type ErasedFlag = { Erased?: boolean };

/** A Messages row in the API's message shape: identified by its WhatsApp id once WhatsApp gave it one. */
export function toMessageShape(row: Selectable<MessagesTable> & ErasedFlag): MessageShape {
  return {
    id: row.Wa_Message_Id ?? row.Id,
    chatId: row.Chat_Id,
    direction: row.Direction,
    type: row.Message_Type,
    body: row.Body,
    status: row.Status,
    timestamp: Number(row.Wa_Timestamp),
    from: row.Sender,
    to: row.Recipient,
    fromMe: row.From_Me,
    ...(row.Media_Mimetype
      ? {
          media: {
            mimetype: row.Media_Mimetype,
            caption: row.Media_Caption,
            fileName: row.Media_File_Name,
            size: row.Media_Size === null ? null : Number(row.Media_Size),
            url: row.Media_Sha256
              ? `/whatsapp/sessions/${row.Session_Id}/messages/${encodeURIComponent(row.Wa_Message_Id ?? row.Id)}/media`
              : row.Direction === 'IN'
                ? null
                : row.Media_Location,
            ...(row.Media_Sha256 ? { sha256: row.Media_Sha256 } : {}),
            ...(row.Media_Download_Error ? { downloadError: row.Media_Download_Error } : {}),
          },
        }
      : {}),
    ...detailsOf(row),
    ...(row.Erased ? { erased: true as const } : {}),
  };
}

/** The message's details, each only when present. */
function detailsOf(row: Selectable<MessagesTable>): Partial<MessageShape> {
  const votes = Object.values(row.Poll_Votes ?? {});
  return {
    ...(row.Quoted_Id ? { quotedId: row.Quoted_Id } : {}),
    ...(row.Mentions?.length ? { mentions: row.Mentions } : {}),
    ...(row.Chat_Id.endsWith('@g.us') && !row.From_Me ? { author: row.Sender } : {}),
    ...(row.Edited_At !== null && row.Edited_At !== undefined ? { editedAt: Number(row.Edited_At) } : {}),
    ...(row.Is_Revoked ? { revoked: true } : {}),
    ...(row.Reactions && Object.keys(row.Reactions).length
      ? {
          reactions: Object.entries(row.Reactions).map(([from, { emoji, timestamp }]) => ({
            emoji,
            from,
            timestamp: Number(timestamp),
          })),
        }
      : {}),
    ...(row.Location ? { location: { ...row.Location, address: null } } : {}),
    ...(row.Contacts?.length ? { contacts: row.Contacts.map((contact) => contact.vcard) } : {}),
    ...(row.Poll
      ? {
          poll: {
            name: row.Poll.name,
            options: row.Poll.options.map((name) => ({
              name,
              votes: votes.filter((chosen) => chosen.includes(name)).length,
            })),
            selectableCount: row.Poll.selectableCount,
          },
        }
      : {}),
  };
}

/** Runs a named, prepared statement (see Database.prepared). */
export type PreparedQuery = <Row>(name: string, text: string, values: readonly unknown[]) => Promise<Row[]>;

type PageRow = Selectable<MessagesTable> &
  ErasedFlag & { session_found: string; anchor_found: boolean | null };

// The tenancy check, the anchor of `before` and the page in one statement: one round trip per request. No row
// means no such session in the caller's company; a row whose message columns are null, an empty page.
const page = (anchored: boolean) => `
  select s."Id" as session_found, ${anchored ? 'a.found' : 'null::boolean'} as anchor_found, m.*
  from "Sessions" s
  ${
    anchored
      ? `left join lateral (
    select "Wa_Timestamp", "Created_Revision", true as found from "Messages"
    where "Session_Id" = s."Id" and "Chat_Id" = $3 and ("Wa_Message_Id" = $5 or "Id"::text = $5)
    limit 1) a on true`
      : ''
  }
  left join lateral (
    select * from "Messages"
    where "Session_Id" = s."Id" and "Chat_Id" = $3
      ${anchored ? 'and ("Wa_Timestamp", "Created_Revision") < (a."Wa_Timestamp", a."Created_Revision")' : ''}
    order by "Wa_Timestamp" desc, "Created_Revision" desc
    limit $4) m on true
  where s."Id" = $1::uuid and s."Company_Id" = $2 and s."Deleted_At" is null`;
const latestPage = page(false);
const pageBefore = page(true);

/**
 * The most recent `limit` messages of a chat (before the message `before`, when given), oldest first; undefined
 * when the session is not one of the company's. Keyset paging on (WhatsApp timestamp, order of arrival), which
 * the chat-time index serves.
 */
export async function chatMessages(
  query: PreparedQuery,
  companyId: string,
  sessionId: string,
  chatId: string,
  limit: number,
  before: string | undefined,
): Promise<MessageShape[] | undefined> {
  const rows =
    before === undefined
      ? await query<PageRow>('chat-messages', latestPage, [sessionId, companyId, chatId, limit])
      : await query<PageRow>('chat-messages-before', pageBefore, [
          sessionId,
          companyId,
          chatId,
          limit,
          before,
        ]);
  if (rows.length === 0) return undefined;
  if (before !== undefined && !rows[0]!.anchor_found)
    throw new HttpError(400, `before: não há mensagem ${before} nesta conversa`);
  return rows
    .filter((row) => row.Id !== null)
    .reverse()
    .map(toMessageShape);
}
