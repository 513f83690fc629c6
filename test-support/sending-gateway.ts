import { eventually } from './eventually.js';
import { startTestGateway, type TestGateway } from './gateway-harness.js';

export interface SendingGateway {
  api: TestGateway;
  admin: string;
  sessionId: string;
  /** Every event of the session and its chats, from the audit endpoint. */
  chatEvents: () => Promise<{ type: string; data: Record<string, unknown> }[]>;
}

/**
 * A gateway on PostgreSQL and NATS with one connected simulated session, paced for tests (40 sends a second,
 * bursts of 5), with fast retries, for the send and send-media specs.
 */
export async function startSendingGateway(): Promise<SendingGateway> {
  const api = await startTestGateway(
    'postgres+nats',
    {
      SEND_RATE_PER_SESSION: '40',
      SEND_BURST_PER_SESSION: '5',
      SEND_TIMEOUT_MS: '60000',
      MEDIA_MAX_BYTES: '100000',
      MEDIA_URL_ALLOW_PRIVATE: 'true',
    },
    { outbox: { retryInitialMs: 20, retryMaxMs: 50, echoWaitMs: 1000 } },
  );
  const admin = api.token('acme', 'ADMIN');
  const sessionId = (await api.call('POST', '/sessions', { token: admin, body: { Session_Name: 'Vendas' } }))
    .body.Id as string;
  await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
  await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin });
  await eventually(
    async () =>
      (await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin })).body.isConnected ===
      true,
  );
  return {
    api,
    admin,
    sessionId,
    chatEvents: async () =>
      (await api.call('GET', `/audit/sessions/${sessionId}/events?limit=1000`, { token: admin })).body
        .events as { type: string; data: Record<string, unknown> }[],
  };
}
