import { useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';

/** Name and optional phone number of a new session; the gateway's refusal is shown as it comes. */
export function NewSessionForm(props: {
  onCreate: (name: string, phoneNumber: string) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useTexts();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    props
      .onCreate(name.trim(), phone.trim())
      .catch((failure: Error) => setError(t.failed(failure.message)))
      .finally(() => setBusy(false));
  };

  return (
    <form class="new-session" onSubmit={submit}>
      <label for="session-name">{t.sessionName}</label>
      <input
        id="session-name"
        value={name}
        maxLength={100}
        required
        autoFocus
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="phone-number">{t.phoneNumber}</label>
      <input
        id="phone-number"
        type="tel"
        inputMode="numeric"
        pattern="\+?[1-9][0-9]{6,14}"
        aria-describedby="phone-help"
        value={phone}
        onInput={(e) => setPhone(e.currentTarget.value)}
      />
      <p id="phone-help" class="help">
        {t.phoneHelp}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t.create}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
