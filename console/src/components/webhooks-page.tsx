import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Session, Webhook } from '../types.js';
import { WebhookForm } from './webhook-form.js';
import { WebhookItem } from './webhook-item.js';

interface Props {
  api: ApiClient;
  sessions: Session[];
}

/** The company's webhooks (ADMIN and MANAGER): create, turn off and on, delete, and each one's deliveries. */
export function WebhooksPage({ api, sessions }: Props) {
  const t = useTexts();
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api
      .webhooks()
      .then((list) => {
        setWebhooks(list);
        setError(null);
      })
      .catch((failure: Error) => setError(t.failed(failure.message)));

  useEffect(() => {
    void load();
  }, [api]);

  const sessionName = (id: string | null) =>
    id === null ? t.allSessions : (sessions.find((s) => s.Id === id)?.Session_Name ?? id);

  return (
    <section class="webhooks page" aria-labelledby="webhooks-title">
      <div class="panel-head">
        <h2 id="webhooks-title">{t.webhooks}</h2>
        {!creating && (
          <button
            type="button"
            onClick={() => {
              setSecret(null);
              setCreating(true);
            }}
          >
            {t.newWebhook}
          </button>
        )}
      </div>
      {creating && (
        <WebhookForm
          sessions={sessions}
          onCreate={async (url, events, sessionId) => {
            const created = await api.createWebhook(url, events, sessionId);
            setCreating(false);
            setSecret(created.secret);
            await load();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {secret && (
        <div class="secret" role="status">
          <label for="webhook-secret">{t.secret}</label>
          <input id="webhook-secret" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
          <p class="help">{t.secretOnce}</p>
          <button type="button" onClick={() => setSecret(null)}>
            {t.done}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {webhooks?.length === 0 && <p class="empty">{t.noWebhooks}</p>}
      <ul aria-label={t.webhooks} class="webhook-list">
        {(webhooks ?? []).map((webhook) => (
          <WebhookItem
            key={webhook.id}
            api={api}
            webhook={webhook}
            scope={sessionName(webhook.sessionId)}
            onChanged={load}
          />
        ))}
      </ul>
    </section>
  );
}
