import { describe, expect, it } from 'vitest';
import { mediaEndpoint } from './api-client.js';

describe('where the console fetches media from', () => {
  it('is the gateway’s media endpoint of a message', () => {
    const url = '/whatsapp/sessions/5c0d/messages/true_5511988887777@c.us_3EB0/media';
    expect(mediaEndpoint(url)).toBe(url);
  });

  it.each([
    null,
    'https://evil.example/whatsapp/sessions/a/messages/b/media',
    '//evil.example/whatsapp/sessions/a/messages/b/media',
    'media/5c0d/abc.bin',
    '/data/media/abc.bin',
    '/whatsapp/sessions/a/messages/b/media?x=1',
  ])('is never anything else (%j): the token goes nowhere else', (url) => {
    expect(mediaEndpoint(url)).toBeNull();
  });
});
