import { describe, expect, it } from 'vitest';
import { InvalidJidError, jidKind, phoneOf, toJid } from './jid.js';

describe('JID', () => {
  it('adds @c.us to a bare number', () => expect(toJid('5511999999999')).toBe('5511999999999@c.us'));

  it('drops a leading + from a bare number', () =>
    expect(toJid('+5511999999999')).toBe('5511999999999@c.us'));

  it.each([
    '5511999999999@c.us',
    '120363025246125486@g.us',
    '5511999999999-1600000000@g.us',
    '123456789012345@lid',
  ])('keeps %s as it is', (jid) => expect(toJid(jid)).toBe(jid));

  it.each([
    '',
    'abc',
    '55 11 99999-9999',
    '0511999999999',
    '123',
    '5511999999999@s.whatsapp.net',
    '1234567890123456',
  ])('rejects %j with a message that says what a valid number looks like', (input) => {
    expect(() => toJid(input)).toThrow(InvalidJidError);
    expect(() => toJid(input)).toThrow(/international format, digits only/);
  });

  it('tells groups from individuals', () => {
    expect(jidKind(toJid('120363025246125486@g.us'))).toBe('group');
    expect(jidKind(toJid('5511999999999'))).toBe('individual');
    expect(jidKind(toJid('123456789012345@lid'))).toBe('lid');
  });

  it('gives the phone number of an individual only', () => {
    expect(phoneOf(toJid('5511999999999'))).toBe('5511999999999');
    expect(phoneOf(toJid('120363025246125486@g.us'))).toBeUndefined();
  });
});
