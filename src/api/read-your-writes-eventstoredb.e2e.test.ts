import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventStoreDbGateway } from '../../test-support/eventstoredb-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, type TestGateway } from '../../test-support/gateway-harness.js';

/**
 * On EventStoreDB the read models follow the store by subscription: a reply waits until they have passed what
 * the command recorded (PROJECTION_WAIT_MS), so that the next read shows it.
 */
describe('read-your-writes on the EventStoreDB store', () => {
  let api: TestGateway;

  beforeAll(async () => {
    api = await startEventStoreDbGateway();
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it('shows each write in the very next read', async () => {
    const token = api.token('acme', 'ADMIN');
    const id = (await api.call('POST', '/sessions', { token, body: { Session_Name: 'ESDB' } })).body
      .Id as string;
    expect((await api.call('POST', `/whatsapp/sessions/${id}/start`, { token })).body.status).toBe('qr');
    expect((await api.call('GET', `/whatsapp/sessions/${id}/status`, { token })).body.status).toBe('qr');
    await api.call('POST', `/simulator/sessions/${id}/scan`, { token });
    expect((await api.call('GET', `/whatsapp/sessions/${id}/status`, { token })).body.status).toBe(
      'connected',
    );
    // Each message frame is checked against REST as it arrives: frames wait for the read models too.
    const socket = await openSocket(`${api.wsUrl}/ws/whatsapp/${id}`, ['bearer', token]);
    const frameChecks: Promise<boolean>[] = [];
    socket.socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { type: string; data: { id: string } };
      if (frame.type !== 'message') return;
      frameChecks.push(
        api
          .call('GET', `/whatsapp/sessions/${id}/chats/5511988887777@c.us/messages?limit=200`, { token })
          .then((read) => (read.body.messages as { id: string }[]).some((m) => m.id === frame.data.id)),
      );
    });
    for (let n = 0; n < 20; n++) {
      await api.call('POST', `/simulator/sessions/${id}/incoming`, {
        token,
        body: { from: '5511988887777', body: `Mensagem ${n}` },
      });
      const read = await api.call('GET', `/whatsapp/sessions/${id}/chats/5511988887777@c.us/messages`, {
        token,
      });
      expect(read.body.total).toBe(n + 1);
    }
    await eventually(() => frameChecks.length >= 20);
    expect((await Promise.all(frameChecks)).every(Boolean)).toBe(true);
    await socket.close();
  });
});
