import type { Role } from './types.js';

const storageKey = 'zapledger.token';

export interface SignedIn {
  token: string;
  role: Role;
  companyId: string;
  subject: string;
  /** Unix milliseconds when the token stops working. */
  expiresAt: number | undefined;
}

export class UnreadableTokenError extends Error {
  override readonly name = 'UnreadableTokenError';
}

/**
 * What a JWT says about its user. The signature is not checked here (the browser has no key): the gateway checks
 * it on every call, and a refused token signs the user out.
 */
export function readToken(token: string): SignedIn {
  const payload = token.trim().split('.')[1];
  if (!payload) throw new UnreadableTokenError('not a JWT');
  let claims: Record<string, unknown>;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<
      string,
      unknown
    >;
  } catch {
    throw new UnreadableTokenError('not a JWT');
  }
  const { role, companyId, sub, exp } = claims;
  if (role !== 'ADMIN' && role !== 'MANAGER' && role !== 'AGENT')
    throw new UnreadableTokenError('no role in token');
  return {
    token: token.trim(),
    role,
    companyId: typeof companyId === 'string' ? companyId : '',
    subject: typeof sub === 'string' ? sub : '',
    expiresAt: typeof exp === 'number' ? exp * 1000 : undefined,
  };
}

export const isExpired = (user: SignedIn, now: number) =>
  user.expiresAt !== undefined && user.expiresAt <= now;

/** Management (create, start, stop, delete, QR) is for ADMIN and MANAGER; the audit trail for ADMIN. */
export const mayManage = (role: Role) => role === 'ADMIN' || role === 'MANAGER';
export const mayAudit = (role: Role) => role === 'ADMIN';

/** Kept for this tab only (sessionStorage), never in a URL. */
export const tokenStorage = {
  load: (storage: Storage): string | null => storage.getItem(storageKey),
  save: (storage: Storage, token: string) => storage.setItem(storageKey, token),
  clear: (storage: Storage) => storage.removeItem(storageKey),
};
