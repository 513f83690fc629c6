import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbGateway } from '../../test-support/eventstoredb-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';

interface AuditEvent {
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
});
