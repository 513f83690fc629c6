import { useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';
import { webhookEvents, type Session } from '../types.js';

interface Props {
  sessions: Session[];
  onCreate: (url: string, events: string[], sessionId: string | null) => Promise<void>;
  onCancel: () => void;
}

/** URL, the frame types to deliver (or all) and the sessions covered (one or all) of a new webhook. */
export function WebhookForm({ sessions, onCreate, onCancel }: Props) {
  const t = useTexts();
  const [url, setUrl] = useState('https://');
  const [events, setEvents] = useState<string[]>(['message']);
  const [sessionId, setSessionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const all = events.includes('*');

  const toggle = (name: string, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, name] : chosen.filter((e) => e !== name)));

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    onCreate(url.trim(), all ? ['*'] : events, sessionId || null)
      .catch((failure: Error) => setError(t.failed(failure.message)))
      .finally(() => setBusy(false));
  };

  return (
    <form class="webhook-form" onSubmit={submit}>
      <label for="webhook-url">{t.webhookUrl}</label>
      <input
        id="webhook-url"
        type="url"
        required
        maxLength={2048}
        autoFocus
        value={url}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <fieldset>
        <legend>{t.events}</legend>
        <label class="check">
          <input type="checkbox" checked={all} onChange={(e) => toggle('*', e.currentTarget.checked)} />
          {t.allEvents}
        </label>
        {webhookEvents.map((name) => (
          <label class="check" key={name}>
            <input
              type="checkbox"
              disabled={all}
              checked={all || events.includes(name)}
              onChange={(e) => toggle(name, e.currentTarget.checked)}
            />
            <code>{name}</code>
          </label>
        ))}
      </fieldset>
      <label for="webhook-scope">{t.scope}</label>
      <select id="webhook-scope" value={sessionId} onChange={(e) => setSessionId(e.currentTarget.value)}>
        <option value="">{t.allSessions}</option>
        {sessions.map((session) => (
          <option key={session.Id} value={session.Id}>
            {session.Session_Name}
          </option>
        ))}
      </select>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy || (!all && events.length === 0)}>
          {t.create}
        </button>
        <button type="button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
