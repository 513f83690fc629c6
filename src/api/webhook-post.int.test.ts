import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';
import { NonPublicAddressError } from './http-get.js';
import { createWebhookPoster, WebhookTimeoutError } from './webhook-post.js';

describe('posting a webhook', () => {
  let receiver: WebhookReceiver;
  const poster = createWebhookPoster({ timeoutMs: 500, publicOnly: false, maxSockets: 2 });
  const guarded = createWebhookPoster({ timeoutMs: 500, publicOnly: true, maxSockets: 2 });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    poster.close();
    guarded.close();
    await receiver.close();
  });

  it('answers the status code of a receiver that answers', async () => {
    expect(await poster.post(new URL(receiver.url('/ok')), {}, '{}')).toBe(204);
  });

  it('does not follow a redirect', async () => {
    receiver.answer('/moved', () => 'redirect');
    expect(await poster.post(new URL(receiver.url('/moved')), {}, '{}')).toBe(302);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
  });

  it('cuts a receiver that hangs at the timeout', async () => {
    receiver.answer('/hang', () => 'hang');
    const started = Date.now();
    await expect(poster.post(new URL(receiver.url('/hang')), {}, '{}')).rejects.toThrow(WebhookTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers a 10 MB reply without reading it', async () => {
    receiver.answer('/huge', () => 'huge');
    expect(await poster.post(new URL(receiver.url('/huge')), {}, '{}')).toBe(200);
    // The poster closed the connection after 64 KB: the 10 MB were never all read.
    await eventually(() => receiver.huge.length === 1);
    expect(receiver.huge[0]!.complete).toBe(false);
    expect(await poster.post(new URL(receiver.url('/ok')), {}, '{}')).toBe(204);
  });

  it('refuses a loopback address given literally', () => {
    expect(() => guarded.post(new URL(receiver.url('/ok')), {}, '{}')).toThrow(NonPublicAddressError);
  });

  it('refuses a host name that resolves to loopback, when connecting (DNS rebinding)', async () => {
    const viaName = receiver.url('/ok').replace('127.0.0.1', 'localhost');
    await expect(guarded.post(new URL(viaName), {}, '{}')).rejects.toThrow(NonPublicAddressError);
  });
});
