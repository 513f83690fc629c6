import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, startTestGateway, type TestGateway } from '../../test-support/gateway-harness.js';

const metricsToken = 'metrics-token-for-the-e2e-test';

/** Every sample of a scrape, as `series → value` (`name{labels}` as written). */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    found.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return found;
}

/** Every label value of a scrape. */
function labelValues(text: string): string[] {
  return [...text.matchAll(/[a-z_]+="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!);
}

describe('metrics over HTTP (PostgreSQL, NATS, simulator)', () => {
  let api: TestGateway;
  const companies = ['company-north-7c1f', 'company-south-93ab'];
  const sessions: { companyId: string; sessionId: string; contact: string }[] = [];

  const scrape = async (token: string | null = metricsToken) => {
    const response = await fetch(`${api.url}/metrics`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const sampled = async () => samples((await scrape()).text);

  beforeAll(async () => {
    api = await startTestGateway('postgres+nats', { METRICS_TOKEN: metricsToken });
    for (const [index, companyId] of companies.entries()) {
      const admin = api.token(companyId, 'ADMIN');
      const sessionId = (
        await api.call('POST', '/sessions', { token: admin, body: { Session_Name: `Loja ${index}` } })
      ).body.Id as string;
      await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
      await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
      await eventually(
        async () =>
          (await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin })).body
            .isConnected === true,
      );
      sessions.push({ companyId, sessionId, contact: `55119876500${index}` });
    }
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('answers 401 without the token or with another, and the Prometheus text with it', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('not-the-metrics-token')).status).toBe(401);
    expect((await scrape(api.token(companies[0]!, 'ADMIN'))).status).toBe(401);
    const answered = await scrape();
    expect(answered.status).toBe(200);
    expect(answered.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answered.text).toContain('process_resident_memory_bytes');
  });

  it('moves the series after sends and incoming messages, in two companies', async () => {
    const before = await sampled();
    for (const { companyId, sessionId, contact } of sessions) {
      const token = api.token(companyId, 'ADMIN');
      const sent = await api.call('POST', '/whatsapp/messages/send', {
        token,
        body: { sessionId, to: contact, message: 'Pedido confirmado' },
      });
      expect(sent.status).toBe(200);
      const incoming = await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
        token,
        body: { from: contact, body: 'Obrigado!' },
      });
      expect(incoming.status).toBe(202);
    }
    const sentCount = 'zapledger_send_duration_seconds_count{outcome="sent"}';
    const after = await eventually(async () => {
      const now = await sampled();
      return (now.get(sentCount) ?? 0) >= (before.get(sentCount) ?? 0) + 2 && now;
    });
    // Each send stores its request, attempt and outcome; each incoming message its own event.
    expect(after.get('zapledger_events_appended_total')).toBeGreaterThanOrEqual(
      before.get('zapledger_events_appended_total')! + 8,
    );
    expect(after.get('zapledger_sessions{status="connected"}')).toBe(2);
    expect(after.get('zapledger_sessions{status="disconnected"}')).toBe(0);
    expect(after.get('zapledger_sessions_running_here')).toBe(2);
    expect(after.get('zapledger_outbox_pending')).toBe(0);
    expect(after.get('zapledger_spooled_facts')).toBe(0);
    for (const projection of ['sessions', 'clients', 'chats', 'messages', 'session_logs'])
      expect(after.get(`zapledger_projection_lag_events{projection="${projection}"}`)).toBe(0);
    expect(after.get('zapledger_webhook_deliveries_total{outcome="delivered"}')).toBe(0);
  });

  it('times requests by route template, an unmatched URL under one fixed route', async () => {
    const { companyId, sessionId } = sessions[0]!;
    await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: api.token(companyId, 'ADMIN') });
    await api.call('GET', `/no-such-route/${sessionId}`);
    const { text } = await scrape();
    const statusSeries = 'route="/whatsapp/sessions/:id/status",method="GET",status_code="200"';
    expect(samples(text).get(`http_request_duration_seconds_count{${statusSeries}}`)).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      samples(text).get(
        'http_request_duration_seconds_count{route="unmatched",method="GET",status_code="404"}',
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts WebSocket clients while they are connected', async () => {
    const { companyId, sessionId } = sessions[0]!;
    const socket = await openSocket(
      `${api.wsUrl}/ws/whatsapp/${sessionId}?token=${api.token(companyId, 'ADMIN')}`,
    );
    expect((await sampled()).get('zapledger_ws_connections')).toBe(1);
    await socket.close();
    await eventually(async () => (await sampled()).get('zapledger_ws_connections') === 0);
  });

  it('has no label value that names a company, a session or a chat', async () => {
    const ids = sessions.flatMap(({ companyId, sessionId, contact }) => [companyId, sessionId, contact]);
    const values = labelValues((await scrape()).text);
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((value) => ids.some((id) => value.includes(id)))).toEqual([]);
  });
});

describe('metrics without METRICS_TOKEN (embedded)', () => {
  let api: TestGateway;
  beforeAll(async () => {
    api = await startTestGateway('pglite+memory');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('are open to anyone who can reach the port', async () => {
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('zapledger_events_appended_total');
  });
});
