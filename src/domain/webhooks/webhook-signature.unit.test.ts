import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  InvalidWebhookSecretError,
  signWebhook,
  webhookSigningKey,
} from './webhook-signature.js';

describe('webhook signature (Standard Webhooks)', () => {
  it('is verified by the standardwebhooks library with the same secret', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ id: 'evt', type: 'message', data: { body: 'Olá' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(webhookSigningKey(secret), 'evt', timestamp, body);
    const headers = {
      'webhook-id': 'evt',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ id: 'evt' });
  });

  it('is refused by the library when the body changed', () => {
    const secret = generateWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(webhookSigningKey(secret), 'evt', timestamp, '{"a":1}');
    const headers = {
      'webhook-id': 'evt',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('refuses a secret without the whsec_ prefix or with too short a key', () => {
    expect(() => webhookSigningKey('abc')).toThrow(InvalidWebhookSecretError);
    expect(() => webhookSigningKey(`whsec_${Buffer.alloc(8).toString('base64')}`)).toThrow(
      InvalidWebhookSecretError,
    );
  });
});
