import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';
import { useLanguage, useTexts } from '../i18n-context.js';
import type { WebhookDelivery } from '../types.js';

type StatusFilter = WebhookDelivery['status'] | '';

/** `datetime-local`'s value for a time, in the browser's time zone. */
function localInputValue(at: Date): string {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A webhook's delivery log, most recent first: retry one delivery, or replay every event since a time. */
export function WebhookDeliveries({ api, webhookId, id }: { api: ApiClient; webhookId: string; id: string }) {
  const t = useTexts();
  const language = useLanguage();
  const [status, setStatus] = useState<StatusFilter>('');
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [from, setFrom] = useState(() => localInputValue(new Date(Date.now() - 3_600_000)));
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(language) : '—');

  const load = () =>
    api
      .deliveries(webhookId, status)
      .then((reply) => {
        setDeliveries(reply.deliveries);
        setError(null);
      })
      .catch((failure: Error) => setError(t.failed(failure.message)));
  useEffect(() => {
    void load();
  }, [api, webhookId, status]);

  const act = (action: () => Promise<string>) =>
    void action()
      .then((said) => {
        setNotice(said);
        setError(null);
        return load();
      })
      .catch((failure: Error) => setError(t.failed(failure.message)));

  return (
    <section class="deliveries" id={id} aria-label={t.deliveries}>
      <div class="actions">
        <label for={`${id}-status`}>{t.statusFilter}</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}
        >
          <option value="">{t.anyStatus}</option>
          {(['pending', 'delivered', 'failed'] as const).map((s) => (
            <option key={s} value={s}>
              {t.deliveryStatus[s]}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void load()}>
          {t.refresh}
        </button>
      </div>
      <form
        class="actions"
        onSubmit={(event) => {
          event.preventDefault();
          act(async () => t.replayed((await api.replay(webhookId, new Date(from))).deliveries));
        }}
      >
        <label for={`${id}-from`}>{t.replayFrom}</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          required
          value={from}
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
        <button type="submit">{t.replay}</button>
      </form>
      {notice && (
        <p role="status" class="help">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {deliveries?.length === 0 && <p class="empty">{t.noDeliveries}</p>}
      {deliveries && deliveries.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.type}</th>
                <th scope="col">{t.statusFilter}</th>
                <th scope="col">{t.attempts}</th>
                <th scope="col">{t.lastAnswer}</th>
                <th scope="col">{t.when}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.retry}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{delivery.type}</td>
                  <td>{t.deliveryStatus[delivery.status] ?? delivery.status}</td>
                  <td>{delivery.attempts}</td>
                  <td>{[delivery.lastStatusCode, delivery.lastError].filter((x) => x !== null).join(' ')}</td>
                  <td>{time(delivery.deliveredAt ?? delivery.nextAttemptAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() =>
                        act(async () => {
                          await api.retryDelivery(webhookId, delivery.id);
                          return t.retried;
                        })
                      }
                    >
                      {t.retry}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
