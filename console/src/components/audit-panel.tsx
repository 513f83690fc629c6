import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useLanguage, useTexts } from '../i18n-context.js';
import type { AuditEvent } from '../types.js';

/** "user admin-1", "whatsapp", "system supervisor": who caused an event, from its metadata. */
export function actorLabel(actor: unknown): string {
  if (!actor || typeof actor !== 'object') return '—';
  const { type, id } = actor as { type?: unknown; id?: unknown };
  return [type, id].filter((part) => typeof part === 'string' && part !== '').join(' ') || '—';
}

/** The audit trail of one session (ADMIN): event, actor and time, oldest first, a page at a time. */
export function AuditPanel({ api, sessionId }: { api: ApiClient; sessionId: string }) {
  const t = useTexts();
  const language = useLanguage();
  const [open, setOpen] = useState(false);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (after?: string) =>
    api
      .audit(sessionId, after)
      .then((page) => {
        setEvents((kept) => (after ? [...kept, ...page.events] : page.events));
        setNext(page.next);
      })
      .catch((failure: Error) => setError(t.failed(failure.message)));

  useEffect(() => {
    setEvents([]);
    setNext(null);
    if (open) void load();
  }, [open, sessionId]);

  return (
    <section class="audit" aria-labelledby="audit-title">
      <h3 id="audit-title">
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t.audit}
        </button>
      </h3>
      {open && (
        <>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.event}</th>
                  <th scope="col">{t.actor}</th>
                  <th scope="col">{t.time}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr key={event.eventId}>
                    <td>{event.type}</td>
                    <td>{actorLabel(event.actor)}</td>
                    <td>
                      <time dateTime={event.recordedAt}>
                        {new Date(event.recordedAt).toLocaleString(language)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next && (
            <button type="button" class="link" onClick={() => void load(next)}>
              {t.loadMore}
            </button>
          )}
        </>
      )}
    </section>
  );
}
