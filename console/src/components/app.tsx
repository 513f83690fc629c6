import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApiClient } from '../api-client.js';
import { useTexts } from '../i18n-context.js';
import { isExpired, readToken, tokenStorage, type SignedIn } from '../token.js';
import { SignIn } from './sign-in.js';
import { Workspace } from './workspace.js';

type SignOutReason = 'expired' | 'rejected' | 'asked';

function restoredUser(): SignedIn | null {
  const token = tokenStorage.load(sessionStorage);
  if (!token) return null;
  try {
    const user = readToken(token);
    return isExpired(user, Date.now()) ? null : user;
  } catch {
    return null;
  }
}

/** Signed in (the workspace) or not (the token form); an expired or refused token signs out with a word why. */
export function App() {
  const t = useTexts();
  const [user, setUser] = useState<SignedIn | null>(restoredUser);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback(
    (reason: SignOutReason) => {
      tokenStorage.clear(sessionStorage);
      setUser(null);
      setNotice(reason === 'expired' ? t.expired : reason === 'rejected' ? t.rejected : null);
    },
    [t],
  );

  useEffect(() => {
    if (user?.expiresAt === undefined) return;
    // setTimeout cannot wait more than about 24.8 days; a longer token is checked again then.
    const timer = setTimeout(
      () => (isExpired(user, Date.now()) ? signOut('expired') : setUser({ ...user })),
      Math.min(Math.max(0, user.expiresAt - Date.now()), 2 ** 31 - 1),
    );
    return () => clearTimeout(timer);
  }, [user, signOut]);

  const api = useMemo(() => user && createApiClient(user.token, () => signOut('rejected')), [user, signOut]);

  if (!user || !api) {
    return (
      <SignIn
        notice={notice}
        onSignIn={(signedIn) => {
          tokenStorage.save(sessionStorage, signedIn.token);
          setNotice(null);
          setUser(signedIn);
        }}
      />
    );
  }
  return (
    <Workspace
      user={user}
      api={api}
      onSignOut={() => signOut('asked')}
      onTokenRefused={() => signOut('expired')}
    />
  );
}
