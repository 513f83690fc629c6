import { describe, expect, it } from 'vitest';
import { isExpired, mayAudit, mayManage, readToken, UnreadableTokenError } from './token.js';

const jwt = (claims: object) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('a pasted token', () => {
  it('tells the user, company, role and expiry', () => {
    const user = readToken(` ${jwt({ sub: 'ana', companyId: 'Açaí Ltda', role: 'AGENT', exp: 1000 })}\n`);
    expect(user).toEqual({
      token: jwt({ sub: 'ana', companyId: 'Açaí Ltda', role: 'AGENT', exp: 1000 }),
      role: 'AGENT',
      companyId: 'Açaí Ltda',
      subject: 'ana',
      expiresAt: 1_000_000,
    });
  });

  it('is refused when it is not a JWT or carries no known role', () => {
    expect(() => readToken('not a token')).toThrow(UnreadableTokenError);
    expect(() => readToken('a.%%%.c')).toThrow(UnreadableTokenError);
    expect(() => readToken(jwt({ sub: 'x', role: 'OWNER' }))).toThrow(UnreadableTokenError);
  });

  it('expires at its exp, and never without one', () => {
    const user = readToken(jwt({ role: 'ADMIN', exp: 1000 }));
    expect(isExpired(user, 999_999)).toBe(false);
    expect(isExpired(user, 1_000_000)).toBe(true);
    expect(isExpired(readToken(jwt({ role: 'ADMIN' })), Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('lets ADMIN and MANAGER manage and only ADMIN audit', () => {
    expect([mayManage('ADMIN'), mayManage('MANAGER'), mayManage('AGENT')]).toEqual([true, true, false]);
    expect([mayAudit('ADMIN'), mayAudit('MANAGER'), mayAudit('AGENT')]).toEqual([true, false, false]);
  });
});
