import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretUnreadableError } from './secret-box.js';

describe('webhook secret box', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('opens what it sealed', () => {
    const box = createSecretBox('key material');
    expect(box.open(box.seal(secret))).toBe(secret);
  });

  it('does not store the secret in clear', () =>
    expect(createSecretBox('key material').seal(secret)).not.toContain('MfKQ9r8'));

  it('refuses to open with another key', () => {
    const sealed = createSecretBox('key material').seal(secret);
    expect(() => createSecretBox('other key').open(sealed)).toThrow(SecretUnreadableError);
  });
});
