import { useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';
import { shortDuration } from '../time.js';
import type { ConnectionStatus, Session } from '../types.js';
import { useNow } from '../use-now.js';

interface Props {
  session: Session;
  status: ConnectionStatus;
  selected: boolean;
  manage: boolean;
  onSelect: () => void;
  onRename: (name: string) => Promise<void>;
  onDelete: () => Promise<void>;
  /** With a phone number: link by pairing code instead of a QR code. */
  onStart: (phoneNumber?: string) => void;
  onStop: () => void;
}

/** One session: its name (opens it), status word, last heartbeat and, for managers, what can be done with it. */
export function SessionItem({ session, status, selected, manage, ...on }: Props) {
  const t = useTexts();
  const now = useNow();
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm-delete' | 'link-by-phone'>('view');
  const [name, setName] = useState(session.Session_Name);
  const [phone, setPhone] = useState(session.Phone_Number ?? '');
  const [error, setError] = useState<string | null>(null);
  const heartbeat = session.Last_Heartbeat ? Date.parse(session.Last_Heartbeat) : undefined;
  const attempt = (action: Promise<void>) =>
    action.then(() => setMode('view')).catch((failure: Error) => setError(t.failed(failure.message)));
  const running = status !== 'disconnected';

  return (
    <li class={selected ? 'session selected' : 'session'}>
      <div class="session-line">
        <button
          type="button"
          class="link session-name"
          aria-current={selected ? 'true' : undefined}
          onClick={on.onSelect}
        >
          {session.Session_Name}
        </button>
        <span class={`status status-${status}`}>{t.status[status] ?? status}</span>
      </div>
      <p class="help">
        {session.Phone_Number && <span>+{session.Phone_Number} · </span>}
        {heartbeat === undefined ? t.noHeartbeat : t.heartbeat(shortDuration(now - heartbeat))}
      </p>
      {manage && mode === 'view' && (
        <div class="actions">
          {running ? (
            <button type="button" onClick={on.onStop}>
              {t.stop}
            </button>
          ) : (
            <>
              <button type="button" onClick={() => on.onStart()}>
                {t.start}
              </button>
              <button type="button" onClick={() => setMode('link-by-phone')}>
                {t.linkByPhone}
              </button>
            </>
          )}
          <button type="button" onClick={() => setMode('rename')}>
            {t.rename}
          </button>
          <button type="button" class="danger" onClick={() => setMode('confirm-delete')}>
            {t.delete}
          </button>
        </div>
      )}
      {manage && mode === 'rename' && (
        <form
          class="actions"
          onSubmit={(event) => {
            event.preventDefault();
            void attempt(on.onRename(name.trim()));
          }}
        >
          <label class="visually-hidden" for={`rename-${session.Id}`}>
            {t.sessionName}
          </label>
          <input
            id={`rename-${session.Id}`}
            value={name}
            maxLength={100}
            required
            autoFocus
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit">{t.save}</button>
          <button type="button" onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </form>
      )}
      {manage && mode === 'link-by-phone' && (
        <form
          class="actions"
          onSubmit={(event) => {
            event.preventDefault();
            setMode('view');
            on.onStart(phone.replace(/[^\d]/g, ''));
          }}
        >
          <label class="visually-hidden" for={`link-phone-${session.Id}`}>
            {t.phoneToLink}
          </label>
          <input
            id={`link-phone-${session.Id}`}
            type="tel"
            inputMode="numeric"
            pattern="\+?[1-9][0-9]{6,14}"
            placeholder="5511999999999"
            value={phone}
            required
            autoFocus
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
          <button type="submit">{t.getPairingCode}</button>
          <button type="button" onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </form>
      )}
      {manage && mode === 'confirm-delete' && (
        <div class="actions" role="group" aria-label={t.confirmDelete(session.Session_Name)}>
          <p>{t.confirmDelete(session.Session_Name)}</p>
          <button type="button" class="danger" autoFocus onClick={() => void attempt(on.onDelete())}>
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
    </li>
  );
}
