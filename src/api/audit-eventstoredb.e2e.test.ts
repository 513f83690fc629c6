import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbGateway } from '../../test-support/eventstoredb-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';

interface AuditEvent {
  eventId: string;
  type: string;
  hash: string | null;
  anchored: boolean;
}

/**
 * On EventStoreDB the gateway anchors too (a singleton following `$all`), and the audit trail shows each event's
 * hash and whether an anchor covers it.
 */
describe('the audit trail on the EventStoreDB store', () => {
  let api: TestGateway;

  beforeAll(async () => {
    api = await startEventStoreDbGateway({ AUDIT_ANCHOR_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('shows each event’s hash, and that an anchor covers it once one is signed', async () => {
    const token = api.token('acme', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'ESDB audit' } })).body
      .Id as string;
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token });
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token });
    await api.call('POST', `/simulator/sessions/${id}/incoming`, {
      token,
      body: { from: '5511988887777', body: 'Olá' },
    });
    const audit = async () =>
      (await api.call('GET', `/audit/sessions/${id}/events?limit=100`, { token })).body
        .events as AuditEvent[];
    await eventually(async () => {
      const events = await audit();
      expect(events.map((e) => e.type)).toContain('MessageReceived');
      for (const event of events) {
        expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(event.anchored).toBe(true);
      }
      return true;
    });
    const other = await api.call('GET', `/audit/sessions/${id}/events`, {
      token: api.token('other', 'ADMIN'),
    });
    expect(other.status).not.toBe(200);
  });

  it('shows what a reply recorded on the next read, and pages through the index with `after`', async () => {
    const token = api.token('acme', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'ESDB paging' } })).body
      .Id as string;
    const page = async (query: string) => {
      const answer = await api.call('GET', `/audit/sessions/${id}/events?${query}`, { token });
      expect(answer.status).toBe(200);
      return { events: answer.body.events as AuditEvent[], next: answer.body.next as string | null };
    };
    // No waiting: the reply's event is either indexed already or in the tail the page reads.
    expect((await page('limit=100')).events.map((e) => e.type)).toEqual(['SessionRegistered']);
    await api.call('POST', `/whatsapp/sessions/${id}/start`, { token });
    const whole = await page('limit=100');
    expect(whole.events.map((e) => e.type)).toContain('SessionStartRequested');
    const paged: string[] = [];
    let next: string | null = null;
    do {
      const one = await page(`limit=1${next === null ? '' : `&after=${encodeURIComponent(next)}`}`);
      paged.push(...one.events.map((e) => e.eventId));
      next = one.next;
    } while (next !== null && paged.length < 100);
    expect(paged).toEqual(whole.events.map((e) => e.eventId));
  });
});
