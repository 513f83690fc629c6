import { describe, expect, it } from 'vitest';
import { chooseLanguage, texts } from './i18n.js';

describe('the console language', () => {
  it('follows the browser: Portuguese for any pt, English otherwise', () => {
    expect(chooseLanguage('', ['pt-BR', 'en'])).toBe('pt-BR');
    expect(chooseLanguage('', ['pt'])).toBe('pt-BR');
    expect(chooseLanguage('', ['en-US', 'pt-BR'])).toBe('en');
    expect(chooseLanguage('', ['de'])).toBe('en');
    expect(chooseLanguage('', [])).toBe('en');
  });

  it('is English with ?lang=en whatever the browser says, and Portuguese with ?lang=pt', () => {
    expect(chooseLanguage('?lang=en', ['pt-BR'])).toBe('en');
    expect(chooseLanguage('?x=1&lang=EN', ['pt-BR'])).toBe('en');
    expect(chooseLanguage('?lang=pt', ['en-US'])).toBe('pt-BR');
  });

  it('gives the accessible names of the contract in English', () => {
    const en = texts.en;
    expect([en.token, en.signIn, en.newSession, en.sessionName, en.phoneNumber, en.create]).toEqual([
      'Token',
      'Sign in',
      'New session',
      'Session name',
      'Phone number',
      'Create',
    ]);
    expect([
      en.sessions,
      en.start,
      en.stop,
      en.delete,
      en.qrCode,
      en.chats,
      en.messages,
      en.message,
      en.send,
    ]).toEqual(['Sessions', 'Start', 'Stop', 'Delete', 'QR code', 'Chats', 'Messages', 'Message', 'Send']);
  });
});
