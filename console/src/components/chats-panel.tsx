import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import type { FrameHub } from '../frame-hub.js';
import { useLanguage, useTexts } from '../i18n-context.js';
import { localTime } from '../time.js';
import type { Chat, Message } from '../types.js';

interface Props {
  api: ApiClient;
  frames: FrameHub;
  sessionId: string;
  openChatId: string | null;
  onOpen: (chatId: string) => void;
  /** The chat this console last marked read: 0 unread at once. */
  markedRead: MarkedRead | null;
}

export interface MarkedRead {
  sessionId: string;
  chatId: string;
  at: number;
}

const rereadEveryMs = 15_000;

/** A chat after a new message: first in the list, its time and preview updated, one more unread if it came in. */
function afterMessage(chats: Chat[], message: Message): Chat[] | undefined {
  const chat = chats.find((c) => c.id === message.chatId);
  if (!chat) return undefined;
  const updated: Chat = {
    ...chat,
    lastMessageTime: Math.max(chat.lastMessageTime ?? 0, message.timestamp),
    unreadCount: chat.unreadCount + (message.fromMe ? 0 : 1),
  };
  return [updated, ...chats.filter((c) => c !== chat)];
}

/** The session's chats, most recent first, with unread counts; live. */
export function ChatsPanel({ api, frames, sessionId, openChatId, onOpen, markedRead }: Props) {
  const t = useTexts();
  const language = useLanguage();
  const [chats, setChats] = useState<Chat[]>([]);
  // The last message of each chat seen live: the chats read carries only its time.
  const [lastSeen, setLastSeen] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const known = useRef(new Set<string>());
  known.current = new Set(chats.map((c) => c.id));

  useEffect(() => {
    let current = true;
    const load = () =>
      api
        .chats(sessionId)
        .then((reply) => {
          if (!current) return;
          setChats(reply.chats);
          setError(null);
        })
        .catch((failure: Error) => current && setError(t.failed(failure.message)));
    void load();
    // No frame tells of a chat read elsewhere (another tab, the phone): its unread count comes with a read.
    const timer = setInterval(() => void load(), rereadEveryMs);
    const stop = frames.listen((frameSession, frame) => {
      if (frameSession !== sessionId || frame.type !== 'message') return;
      const { chatId, body, media, type } = frame.data;
      setLastSeen((seen) => ({ ...seen, [chatId]: body ?? media?.fileName ?? type }));
      // A chat the list does not have yet: its name and counts come from a read.
      if (!known.current.has(frame.data.chatId)) return void load();
      setChats((kept) => afterMessage(kept, frame.data) ?? kept);
    });
    return () => {
      current = false;
      clearInterval(timer);
      stop();
    };
  }, [api, frames, sessionId, t]);

  useEffect(() => {
    if (markedRead?.sessionId !== sessionId) return;
    setChats((kept) => kept.map((c) => (c.id === markedRead.chatId ? { ...c, unreadCount: 0 } : c)));
  }, [markedRead, sessionId]);

  return (
    <section class="chats" aria-labelledby="chats-title">
      <h3 id="chats-title">{t.chats}</h3>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {chats.length === 0 && !error && <p class="empty">{t.noChats}</p>}
      <ul aria-label={t.chats} class="chat-list">
        {chats.map((chat) => (
          <li key={chat.id} class={chat.id === openChatId ? 'chat selected' : 'chat'}>
            <button
              type="button"
              class="chat-button"
              aria-current={chat.id === openChatId ? 'true' : undefined}
              onClick={() => onOpen(chat.id)}
            >
              <span class="chat-name">{chat.name ?? chat.id.replace(/@.*/, '')}</span>
              {chat.unreadCount > 0 && <span class="badge">{t.unread(chat.unreadCount)}</span>}
              <span class="chat-last">
                {lastSeen[chat.id] ?? ''}
                {chat.lastMessageTime !== null && (
                  <time dateTime={new Date(chat.lastMessageTime * 1000).toISOString()}>
                    {' '}
                    {localTime(chat.lastMessageTime, language)}
                  </time>
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
