import type { Insertable } from 'kysely';
import type { ChatsTable } from '../../adapters/db/read-model-schema.js';
import type { ChatChange } from './chat-changes.js';

/**
 * Everything one batch does to one chat, folded so that a single write has the effect of applying its changes
 * one by one, whether the chat's row exists yet or not.
 */
export interface ChatFold {
  key: string;
  sessionId: string;
  chatJid: string;
  changes: ChatChange[];
  firstRevision: string;
  lastRevision: string;
  /** The row these changes create when the chat has none yet; undefined when they are all reads. */
  newRow: Insertable<ChatsTable> | undefined;
  /** Folded activity, to merge into an existing row (null when there was none). */
  chatName: string | null;
  preview: string | null;
  time: Date | null;
  /** Whether the chat was read in the batch: unread then counts from the last read. */
  read: boolean;
  unreadSinceRead: number;
  unreadTotal: number;
}

/** Groups changes by chat, in order, and folds each group. */
export function foldChatChanges(changes: readonly ChatChange[]): ChatFold[] {
  const byChat = new Map<string, ChatChange[]>();
  for (const change of changes) {
    const group = byChat.get(change.key);
    if (group) group.push(change);
    else byChat.set(change.key, [change]);
  }
  return [...byChat.values()].map(fold);
}

function fold(changes: ChatChange[]): ChatFold {
  const first = changes[0]!;
  let firstActivity: Insertable<ChatsTable> | undefined;
  let chatName: string | null = null;
  let preview: string | null = null;
  let time: Date | null = null;
  let read = false;
  let unreadSinceRead = 0;
  let unreadTotal = 0;
  for (const change of changes) {
    if (change.kind === 'read') {
      read = true;
      unreadSinceRead = 0;
      continue;
    }
    const row = change.row;
    const rowTime = row.Last_Message_Time as Date;
    firstActivity ??= row;
    chatName = row.Chat_Name ?? chatName;
    // As in the single upsert: a message no older than the latest one so far becomes the preview.
    if (time === null || rowTime >= time) {
      preview = row.Last_Message ?? null;
      time = rowTime;
    }
    unreadSinceRead += row.Unread_Count ?? 0;
    unreadTotal += row.Unread_Count ?? 0;
  }
  const lastRevision = revisionOf(changes.at(-1)!);
  return {
    key: first.key,
    sessionId: first.kind === 'read' ? first.sessionId : first.row.Session_Id,
    chatJid: first.kind === 'read' ? first.chatJid : first.row.Chat_Id,
    changes,
    firstRevision: revisionOf(first),
    lastRevision,
    // Reads before a chat's first message change nothing, so a new row counts unread from the last read.
    newRow: firstActivity && {
      ...firstActivity,
      Chat_Name: chatName,
      Last_Message: preview,
      Last_Message_Time: time,
      Unread_Count: unreadSinceRead,
      Last_Revision: lastRevision,
    },
    chatName,
    preview,
    time,
    read,
    unreadSinceRead,
    unreadTotal,
  };
}

function revisionOf(change: ChatChange): string {
  return change.kind === 'read' ? change.revision : String(change.row.Last_Revision);
}
