import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import {
  openSocket,
  startTestGateway,
  type TestGateway,
  type Wiring,
} from '../../test-support/gateway-harness.js';

interface AuditEntry {
  eventId: string;
  type: string;
}

/** The entries in order, each event once: pages repeat the events that were not settled when they were read. */
function uniqueByEventId(entries: AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.eventId) && seen.add(entry.eventId));
}

describe.each<Wiring>(['postgres+nats', 'pglite+memory'])('the API flow on %s', (wiring) => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;

  beforeAll(async () => {
    api = await startTestGateway(wiring);
    admin = api.token('acme', 'ADMIN');
  });
  afterAll(async () => {
    await api?.dispose();
  });

  /**
   * Every page of a session's audit, following `next`. A page's `next` stops before an event that is not settled
   * yet (a transaction anywhere on the PostgreSQL server that began before it is still open, as another test's
   * migration can be under load), so that page comes again until it settles: wait for `next` to move on.
   */
  async function readAuditInPages(id: string, limit: number): Promise<AuditEntry[][]> {
    const pages: AuditEntry[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await eventually(async () => {
        const query = after === undefined ? '' : `&after=${after}`;
        const reply = await api.call('GET', `/audit/sessions/${id}/events?limit=${limit}${query}`, {
          token: admin,
        });
        return reply.body.next !== after && reply.body;
      });
      pages.push(page.events as AuditEntry[]);
      if (page.next === null) return pages;
      after = page.next as string;
    }
  }

  it('registers a session, starts it, connects on scan, receives a message, lists chats and messages, stops', async () => {
    const created = await api.call('POST', '/sessions', {
      token: admin,
      body: {
        Company_Id: 'acme',
        Session_Name: 'Atendimento Principal',
        Phone_Number: '5511999999999',
        Status: 0,
        Session_Token: 'token-unico',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      Company_Id: 'acme',
      Session_Name: 'Atendimento Principal',
      Phone_Number: '5511999999999',
      Status: 0,
      Last_Heartbeat: null,
    });
    expect(created.body).not.toHaveProperty('Session_Token');
    sessionId = created.body.Id as string;

    const started = await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    expect(started).toMatchObject({
      status: 200,
      body: { message: 'Sessão iniciada com sucesso', status: 'qr' },
    });
    expect(started.body.qrCode).toMatch(/^data:image\/png;base64,/);

    const qr = await eventually(async () => {
      const reply = await api.call('GET', `/whatsapp/sessions/${sessionId}/qr`, { token: admin });
      return reply.status === 200 && reply;
    });
    expect(qr.body.qrCode).toMatch(/^data:image\/png;base64,/);

    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    expect((await ws.next((f) => f.type === 'status')).data).toEqual({
      sessionId,
      status: 'qr',
      isConnected: false,
    });

    expect((await api.call('POST', `/simulator/sessions/${sessionId}/scan`, { token: admin })).status).toBe(
      204,
    );
    const connected = await ws.next((f) => f.type === 'status_change' && f.data.status === 'connected');
    expect(connected.data).toEqual({ sessionId, status: 'connected', isConnected: true });

    const incoming = await api.call('POST', `/simulator/sessions/${sessionId}/incoming`, {
      token: admin,
      body: { from: '5511988887777', body: 'Oi', name: 'João' },
    });
    expect(incoming.status).toBe(202);
    const frame = await ws.next((f) => f.type === 'message');
    expect(frame.data).toMatchObject({
      id: incoming.body.id,
      chatId: '5511988887777@c.us',
      direction: 'IN',
      type: 'chat',
      body: 'Oi',
      fromMe: false,
    });

    const chats = await eventually(async () => {
      const reply = await api.call('GET', `/whatsapp/sessions/${sessionId}/chats`, { token: admin });
      return (reply.body.chats as unknown[]).length > 0 && reply;
    });
    expect(chats.body.chats).toEqual([
      { id: '5511988887777@c.us', name: 'João', lastMessageTime: expect.any(Number), unreadCount: 1 },
    ]);

    const messages = await eventually(async () => {
      const reply = await api.call(
        'GET',
        `/whatsapp/sessions/${sessionId}/chats/5511988887777@c.us/messages?limit=50`,
        { token: admin },
      );
      return (reply.body.messages as unknown[]).length > 0 && reply;
    });
    expect(messages.body).toMatchObject({
      total: 1,
      messages: [
        { id: incoming.body.id, body: 'Oi', direction: 'IN', status: 3, from: '5511988887777@c.us' },
      ],
    });

    const status = await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin });
    expect(status.body).toEqual({ sessionId, status: 'connected', isConnected: true });
    const stats = await api.call('GET', '/whatsapp/stats', { token: admin });
    expect(stats.body).toEqual({
      total: 1,
      connected: 1,
      disconnected: 0,
      sessions: [{ id: sessionId, status: 'connected' }],
    });

    const stopped = await api.call('POST', `/whatsapp/sessions/${sessionId}/stop`, { token: admin });
    expect(stopped).toEqual({ status: 200, body: { message: 'Sessão desconectada com sucesso' } });
    await ws.next((f) => f.type === 'status_change' && f.data.status === 'disconnected');
    await ws.close();
  });

  it('gives the flow’s events to an auditor in order, with who did what, and no QR codes or token hashes', async () => {
    const audit = await api.call('GET', `/audit/sessions/${sessionId}/events?limit=100`, { token: admin });
    expect(audit.status).toBe(200);
    const events = audit.body.events as {
      eventId: string;
      type: string;
      actor: { type: string; id: string };
      data: Record<string, unknown>;
    }[];
    expect(events.map((e) => e.type)).toEqual([
      'SessionRegistered',
      'SessionStartRequested',
      'SessionConnecting',
      'QrCodeIssued',
      'SessionConnected',
      'MessageReceived',
      'SessionStopRequested',
      'SessionStopped',
    ]);
    expect(events[0]!.actor).toEqual({ type: 'user', id: 'admin-of-acme' });
    expect(events[3]!.actor).toEqual({ type: 'whatsapp', id: sessionId });
    expect(JSON.stringify(events)).not.toMatch(/qrCode|tokenHash|sha256:/);

    const paged = await readAuditInPages(sessionId, 3);
    expect(paged.every((page) => page.length <= 3)).toBe(true);
    expect(uniqueByEventId(paged.flat()).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('opens a WebSocket with the token in Sec-WebSocket-Protocol, and refuses bad tokens and other companies', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}`, ['bearer', admin]);
    expect((await ws.next((f) => f.type === 'status')).data).toMatchObject({
      sessionId,
      status: 'disconnected',
    });
    expect(ws.socket.protocol).toBe('bearer');
    await ws.close();
    await expect(openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=not-a-token`)).rejects.toThrow(
      'upgrade refused: 401',
    );
    await expect(
      openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}`, ['bearer', 'not-a-token']),
    ).rejects.toThrow('upgrade refused: 401');
    await expect(
      openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${api.token('globex', 'ADMIN')}`),
    ).rejects.toThrow('upgrade refused: 404');
  });

  // The web console tells the two apart by the reason: an expired token signs the user out, a deleted session not.
  it('closes a WebSocket when its token expires, and when its session is deleted, saying which', async () => {
    const closing = (socket: {
      once(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
    }) =>
      new Promise<[number, string]>((resolve) =>
        socket.once('close', (code, reason) => resolve([code, reason.toString()])),
      );
    const shortLived = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}`, [
      'bearer',
      api.token('acme', 'AGENT', '2s'),
    ]);
    expect(await closing(shortLived.socket)).toEqual([1008, 'Token expired']);

    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const closed = closing(ws.socket);
    expect((await api.call('DELETE', `/sessions/${sessionId}`, { token: admin })).status).toBe(204);
    expect(await closed).toEqual([1008, 'Session deleted']);
  });
});
