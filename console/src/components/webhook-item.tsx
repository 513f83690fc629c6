import { useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import type { Webhook } from '../types.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

interface Props {
  api: ApiClient;
  webhook: Webhook;
  /** The name of the session it covers, or "All sessions". */
  scope: string;
  onChanged: () => Promise<void>;
}

/** One webhook: where it posts, what and for which sessions; on or off; its deliveries; delete after a confirmation. */
export function WebhookItem({ api, webhook, scope, onChanged }: Props) {
  const t = useTexts();
  const [mode, setMode] = useState<'view' | 'confirm-delete'>('view');
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attempt = (action: () => Promise<unknown>) =>
    void action()
      .then(() => setError(null))
      .catch((failure: Error) => setError(t.failed(failure.message)));
  const deliveriesId = `deliveries-${webhook.id}`;

  return (
    <li class="webhook">
      <div class="session-line">
        <span class="webhook-url">{webhook.url}</span>
        <span class={webhook.enabled ? 'status status-connected' : 'status'}>
          {webhook.enabled ? t.on : t.off}
        </span>
      </div>
      <p class="help">
        {scope} · {webhook.events.join(', ')}
      </p>
      {mode === 'view' ? (
        <div class="actions">
          <button
            type="button"
            aria-expanded={showDeliveries}
            aria-controls={deliveriesId}
            onClick={() => setShowDeliveries(!showDeliveries)}
          >
            {t.deliveries}
          </button>
          <button
            type="button"
            onClick={() =>
              attempt(async () => {
                await api.updateWebhook(webhook.id, { enabled: !webhook.enabled });
                await onChanged();
              })
            }
          >
            {webhook.enabled ? t.disable : t.enable}
          </button>
          <button type="button" class="danger" onClick={() => setMode('confirm-delete')}>
            {t.delete}
          </button>
        </div>
      ) : (
        <div class="actions" role="group" aria-label={t.confirmDeleteWebhook(webhook.url)}>
          <p>{t.confirmDeleteWebhook(webhook.url)}</p>
          <button
            type="button"
            class="danger"
            autoFocus
            onClick={() =>
              attempt(async () => {
                await api.deleteWebhook(webhook.id);
                await onChanged();
              })
            }
          >
            {t.confirmDeleteButton}
          </button>
          <button type="button" onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {showDeliveries && <WebhookDeliveries api={api} webhookId={webhook.id} id={deliveriesId} />}
    </li>
  );
}
