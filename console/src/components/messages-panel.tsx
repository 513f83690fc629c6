import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import type { FrameHub } from '../frame-hub.js';
import { useTexts } from '../i18n-context.js';
import { applyAck, mergeMessages } from '../message-list.js';
import type { Frame, Message } from '../types.js';
import { Composer } from './composer.js';
import { MessageItem } from './message-item.js';

interface Props {
  api: ApiClient;
  frames: FrameHub;
  sessionId: string;
  chatId: string;
  onClose: () => void;
  /** The chat was marked read (its unread count is 0 now). */
  onMarkedRead: () => void;
}

const pageSize = 50;
/** When to read again a chat whose new message's media was still downloading (its `url` null, no error). */
const mediaRereadsMs = [1_000, 3_000, 8_000, 20_000];

const awaitsDownload = (message: Message) =>
  message.media !== undefined && message.media.url === null && !message.media.downloadError;

/** What a frame of this chat changes in its messages. */
function applyFrame(messages: Message[], frame: Frame): Message[] {
  switch (frame.type) {
    case 'message':
      return mergeMessages(messages, [frame.data]);
    case 'ack':
      return applyAck(messages, frame.data);
    case 'message_edit': {
      const editedAt = Math.floor(Date.now() / 1000);
      return messages.map((m) => (m.id === frame.data.id ? { ...m, body: frame.data.body, editedAt } : m));
    }
    case 'message_revoke':
      return messages.map((m) => (m.id === frame.data.id ? { ...m, revoked: true } : m));
    case 'reaction': {
      const { id, emoji, from } = frame.data;
      return messages.map((m) => {
        if (m.id !== id) return m;
        const others = (m.reactions ?? []).filter((r) => r.from !== from);
        const timestamp = Math.floor(Date.now() / 1000);
        return { ...m, reactions: emoji ? [...others, { emoji, from, timestamp }] : others };
      });
    }
    default:
      return messages;
  }
}

/** One chat's messages, oldest first, live, with paging back through history and the composer. */
export function MessagesPanel({ api, frames, sessionId, chatId, onClose, onMarkedRead }: Props) {
  const t = useTexts();
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;

  const fail = (failure: Error) => setError(t.failed(failure.message));
  const loadLatest = () =>
    api.messages(sessionId, chatId).then((reply) => {
      setMessages((kept) => mergeMessages(kept, reply.messages));
      return reply.messages;
    });

  useEffect(() => {
    setMessages([]);
    stickToBottom.current = true;
    loadLatest()
      .then((page) => setHasOlder(page.length === pageSize))
      .catch(fail);
    const timers: ReturnType<typeof setTimeout>[] = [];
    const stop = frames.listen((frameSession, frame) => {
      if (frameSession !== sessionId || !('chatId' in frame.data) || frame.data.chatId !== chatId) return;
      setMessages((kept) => applyFrame(kept, frame));
      // No frame tells when a download ends: read the chat again until the media can be shown.
      if (frame.type === 'message' && awaitsDownload(frame.data)) {
        const { id } = frame.data;
        for (const delay of mediaRereadsMs)
          timers.push(
            setTimeout(() => {
              const known = messagesRef.current.find((m) => m.id === id);
              if (known && awaitsDownload(known)) void loadLatest().catch(fail);
            }, delay),
          );
      }
    });
    return () => {
      stop();
      timers.forEach(clearTimeout);
    };
  }, [api, frames, sessionId, chatId]);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages]);

  const loadOlder = () => {
    const oldest = messages[0];
    if (!oldest) return;
    stickToBottom.current = false;
    api
      .messages(sessionId, chatId, oldest.id)
      .then((reply) => {
        setMessages((kept) => mergeMessages(kept, reply.messages));
        setHasOlder(reply.messages.length === pageSize);
      })
      .catch(fail);
  };

  /**
   * The reply means WhatsApp accepted it (or the outbox has it). Its frame normally came first and is enough for a
   * text; a read fills the gap if not, and always for a file, whose frame carries no media details.
   */
  const afterSend = (id: string, isFile: boolean) => {
    stickToBottom.current = true;
    if (isFile || !messages.some((m) => m.id === id)) void loadLatest().catch(fail);
  };

  const byId = new Map(messages.map((m) => [m.id, m]));
  return (
    <section class="messages" aria-labelledby="messages-title">
      <div class="panel-head">
        <h3 id="messages-title">{t.messages}</h3>
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              void api
                .markRead(sessionId, chatId)
                .then(() => {
                  setError(null);
                  onMarkedRead();
                })
                .catch(fail)
            }
          >
            {t.markRead}
          </button>
          <button type="button" class="link" onClick={onClose}>
            {t.back}
          </button>
        </div>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {hasOlder && (
        <button type="button" class="link" onClick={loadOlder}>
          {t.olderMessages}
        </button>
      )}
      {messages.length === 0 && !error && <p class="empty">{t.noMessages}</p>}
      <ol
        ref={list}
        aria-label={t.messages}
        class="message-list"
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            api={api}
            message={message}
            quoted={message.quotedId ? byId.get(message.quotedId) : undefined}
          />
        ))}
      </ol>
      <Composer
        onSendText={(text) =>
          api.sendText(sessionId, chatId, text).then((reply) => afterSend(reply.result.id, false))
        }
        onSendFile={(file, caption) =>
          api.sendFile(sessionId, chatId, file, caption).then((reply) => afterSend(reply.result.id, true))
        }
      />
    </section>
  );
}
