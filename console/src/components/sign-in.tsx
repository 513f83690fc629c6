import { useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';
import { isExpired, readToken, UnreadableTokenError, type SignedIn } from '../token.js';

/** Paste a token; it is read here and checked by the gateway on the first call. */
export function SignIn({ notice, onSignIn }: { notice: string | null; onSignIn: (user: SignedIn) => void }) {
  const t = useTexts();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    try {
      const user = readToken(token);
      if (isExpired(user, Date.now())) return setError(t.expired);
      onSignIn(user);
    } catch (failure) {
      if (!(failure instanceof UnreadableTokenError)) throw failure;
      setError(t.unreadableToken);
    }
  };

  return (
    <main class="sign-in">
      <h1>{t.title}</h1>
      {notice && (
        <p role="alert" class="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label for="token">{t.token}</label>
        <textarea
          id="token"
          rows={4}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="token-help"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          required
        />
        <p id="token-help" class="help">
          {t.tokenHelp}
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit">{t.signIn}</button>
      </form>
    </main>
  );
}
