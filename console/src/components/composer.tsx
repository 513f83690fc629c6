import { useRef, useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';

interface Props {
  onSendText: (text: string) => Promise<void>;
  onSendFile: (file: File, caption: string) => Promise<void>;
}

/** Text (Enter sends, Shift+Enter breaks the line) or a file with the text as its caption. */
export function Composer({ onSendText, onSendFile }: Props) {
  const t = useTexts();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const send = () => {
    if (busy || (!file && !text.trim())) return;
    setBusy(true);
    (file ? onSendFile(file, text.trim()) : onSendText(text))
      .then(() => {
        setText('');
        setFile(null);
        if (fileInput.current) fileInput.current.value = '';
        setError(null);
      })
      .catch((failure: Error) => setError(t.failed(failure.message)))
      .finally(() => setBusy(false));
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label class="visually-hidden" for="message-text">
        {t.message}
      </label>
      <textarea
        id="message-text"
        rows={2}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            send();
          }
        }}
      />
      <label class="file-label">
        <span aria-hidden="true">{t.attach}</span>
        <input
          ref={fileInput}
          type="file"
          aria-label={t.attach}
          class="visually-hidden"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </label>
      {file && <span class="help">{file.name}</span>}
      <button type="submit" disabled={busy}>
        {file ? t.sendFile : t.send}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
