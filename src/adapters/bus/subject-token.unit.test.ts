import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subject-pattern.js';
import { eventPattern, eventSubject, idFromSubjectToken, subjectToken } from './subject-token.js';

const awkwardIds = [
  'acme.com.br',
  'acme com br',
  'São Paulo ✓',
  'a*b>c',
  'tab\there',
  '100%',
  'acme%2Ecom',
  'acme_com',
  '',
];

describe('subject tokens', () => {
  it.each(awkwardIds)('turn %j into one NATS token and back', (id) => {
    const token = subjectToken(id);
    expect(token).toMatch(/^[A-Za-z0-9_%-]+$/);
    expect(idFromSubjectToken(token)).toBe(id);
  });

  it('never give two ids the same token', () => {
    const tokens = awkwardIds.map(subjectToken);
    expect(new Set(tokens).size).toBe(awkwardIds.length);
  });

  it('leave plain ids as they are', () => {
    expect(subjectToken('acme')).toBe('acme');
    expect(subjectToken('3f2c9a1e-7b4d-4c1a-9e8f-0a1b2c3d4e5f')).toBe('3f2c9a1e-7b4d-4c1a-9e8f-0a1b2c3d4e5f');
    expect(eventSubject('acme', 's1', 'MessageSent', 'wa')).toBe('wa.acme.s1.MessageSent');
  });

  it.each(awkwardIds)(
    'keep a subject of company %j matched by the patterns that name its type or its company',
    (id) => {
      const subject = eventSubject(id, 'sessão 1', 'MessageSendRequested', 'wa');
      expect(subject.split('.')).toHaveLength(4);
      expect(subjectMatches(eventPattern('wa', { eventType: 'MessageSendRequested' }), subject)).toBe(true);
      expect(subjectMatches(eventPattern('wa', { companyId: id }), subject)).toBe(true);
      expect(subjectMatches(eventPattern('wa'), subject)).toBe(true);
      expect(subjectMatches(eventPattern('wa', { companyId: `${id}x` }), subject)).toBe(false);
    },
  );
});
