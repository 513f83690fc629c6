import { createHash } from 'node:crypto';

/** Session tokens are secrets: only this hash is stored, in history and in the read model. */
export const hashSessionToken = (token: string): string =>
  `sha256:${createHash('sha256').update(token).digest('hex')}`;
