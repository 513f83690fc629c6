import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../adapters/db/webhooks/webhook-deliveries.js';
import { generateWebhookSecret, webhookSigningKey } from '../../domain/webhooks/webhook-signature.js';
import { attemptDelivery, type AttemptDeps, type PostWebhook } from './webhook-attempt.js';

const secret = generateWebhookSecret();
const target = { url: new URL('https://crm.example/hook'), key: webhookSigningKey(secret) };
const delivery: ClaimedDelivery = {
  id: '42',
  eventId: '0b3f0f3e-4a52-4a53-9f55-1d5c2f0b9c11',
  sessionId: 's1',
  companyId: 'acme',
  type: 'message',
  occurredAt: new Date('2026-12-01T10:00:00Z'),
  data: { body: 'Oi' },
  correlationId: 'req-1',
  attempts: 0,
};
const deps = (post: PostWebhook, overrides: Partial<AttemptDeps> = {}): AttemptDeps => ({
  post,
  retry: { initialMs: 4000, maxMs: 60_000 },
  renderData: (_type, data) => Promise.resolve(data),
  isFinal: (error) => error instanceof RangeError,
  ...overrides,
});

describe('one webhook delivery attempt', () => {
  it('sends the event signed as Standard Webhooks, and is delivered on a 2xx', async () => {
    let sent: { headers: Record<string, string>; body: string } | undefined;
    const outcome = await attemptDelivery(
      deps((_url, headers, body) => {
        sent = { headers, body };
        return Promise.resolve(202);
      }),
      target,
      delivery,
    );
    expect(outcome).toEqual({ id: '42', kind: 'delivered', statusCode: 202 });
    expect(new Webhook(secret).verify(sent!.body, sent!.headers)).toEqual({
      id: delivery.eventId,
      type: 'message',
      companyId: 'acme',
      sessionId: 's1',
      occurredAt: '2026-12-01T10:00:00.000Z',
      data: { body: 'Oi' },
    });
    expect(sent!.headers['webhook-id']).toBe(delivery.eventId);
  });

  it('retries within the first bound after a redirect, which it does not follow', async () => {
    const outcome = await attemptDelivery(
      deps(() => Promise.resolve(302)),
      target,
      delivery,
    );
    expect(outcome).toMatchObject({
      kind: 'retry',
      statusCode: 302,
      error: expect.stringMatching(/redirect/),
    });
    expect(outcome.kind === 'retry' && outcome.delayMs).toBeLessThanOrEqual(4000);
  });

  it('fails for good on an error no retry can fix', async () => {
    const outcome = await attemptDelivery(
      deps(() => Promise.reject(new RangeError('private'))),
      target,
      delivery,
    );
    expect(outcome).toMatchObject({ kind: 'fail', error: 'private' });
  });

  it('retries when the body cannot be made, instead of stopping the lane', async () => {
    const outcome = await attemptDelivery(
      deps(() => Promise.resolve(204), { renderData: () => Promise.reject(new Error('no image')) }),
      target,
      delivery,
    );
    expect(outcome).toMatchObject({ kind: 'retry', error: 'no image' });
  });

  it('waits for the facts being recorded before it sends', async () => {
    let intakeDone!: () => void;
    const intake = new Promise<void>((resolve) => (intakeDone = resolve));
    let sentAt: string | undefined;
    const attempt = attemptDelivery(
      deps(
        (_url, headers) => {
          sentAt = headers['webhook-timestamp'];
          return Promise.resolve(200);
        },
        { yieldToIntake: () => intake },
      ),
      target,
      delivery,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sentAt).toBeUndefined();
    intakeDone();
    expect(await attempt).toEqual({ id: '42', kind: 'delivered', statusCode: 200 });
    expect(sentAt).toBeDefined();
  });
});
