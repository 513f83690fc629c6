import type { ApiClient } from '../api-client.js';
import { useLanguage, useTexts } from '../i18n-context.js';
import { tickOf } from '../message-list.js';
import { localTime } from '../time.js';
import type { Message } from '../types.js';
import { MediaPreview } from './media-preview.js';

interface Props {
  api: ApiClient;
  message: Message;
  quoted: Message | undefined;
}

/** One message as WhatsApp shows it: reply, media, text or location, reactions, time and ticks. */
export function MessageItem({ api, message, quoted }: Props) {
  const t = useTexts();
  const language = useLanguage();
  const tick = tickOf(message.status);
  return (
    <li class={message.fromMe ? 'message out' : 'message in'}>
      {message.author && <p class="author">{message.author.replace(/@.*/, '')}</p>}
      {message.quotedId && (
        <blockquote class="quote">
          <span class="visually-hidden">{t.replyTo} </span>
          {quoted?.body ?? message.quotedId}
        </blockquote>
      )}
      {message.revoked ? (
        <p class="revoked">{t.revoked}</p>
      ) : (
        <>
          {message.media && <MediaPreview api={api} media={message.media} />}
          {message.location && (
            <p class="location">
              {t.location}: {message.location.name ?? ''}{' '}
              <a
                href={`https://www.openstreetmap.org/?mlat=${message.location.latitude}&mlon=${message.location.longitude}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {message.location.latitude.toFixed(5)}, {message.location.longitude.toFixed(5)}
              </a>
              {message.location.address && <span> · {message.location.address}</span>}
            </p>
          )}
          {message.poll && (
            <div class="poll">
              <p>{message.poll.name}</p>
              <ul>
                {message.poll.options.map((option) => (
                  <li key={option.name}>
                    {option.name}: {option.votes}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {message.body && !message.location && message.body !== message.media?.caption && (
            <p class="body">{message.body}</p>
          )}
        </>
      )}
      {message.reactions && message.reactions.length > 0 && (
        <p class="reactions">{message.reactions.map((r) => r.emoji).join(' ')}</p>
      )}
      <p class="meta">
        {message.editedAt !== undefined && <span>{t.edited} · </span>}
        <time dateTime={new Date(message.timestamp * 1000).toISOString()}>
          {localTime(message.timestamp, language)}
        </time>
        {message.fromMe && (
          <span
            class={tick.read ? 'ticks read' : 'ticks'}
            role="img"
            aria-label={t.ticks[message.status] ?? String(message.status)}
            data-status={message.status}
          >
            {tick.symbol}
          </span>
        )}
      </p>
    </li>
  );
}
