import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import type { TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway, type SendingGateway } from '../../test-support/sending-gateway.js';

type Group = {
  id: string;
  subject: string | null;
  description: string | null;
  participants: { jid: string; isAdmin: boolean }[];
};

const ana = '5511966665555@c.us';
const bia = '5511944443333@c.us';

describe('groups synced from WhatsApp when a session connects (simulator, PostgreSQL, NATS)', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;
  let chatEvents: SendingGateway['chatEvents'];

  beforeAll(async () => {
    ({ api, admin, sessionId, chatEvents } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const groupsPath = () => `/whatsapp/sessions/${sessionId}/groups`;
  const list = async () => (await api.call('GET', groupsPath(), { token: admin })).body.groups as Group[];
  const phoneGroups = () => api.gateway.simulator!.phoneGroups(sessionId);
  const synced = async () => (await chatEvents()).filter((event) => event.type === 'GroupSynced');
  const connected = async () =>
    (await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin })).body.isConnected ===
    true;
  const reconnect = async () => {
    await api.call('POST', `/whatsapp/sessions/${sessionId}/stop`, { token: admin });
    await eventually(async () => !(await connected()));
    await api.call('POST', `/whatsapp/sessions/${sessionId}/start`, { token: admin });
    await eventually(connected);
  };

  it('lists, after the next connect, groups and changes the gateway never saw, with members and description', async () => {
    const created = (
      await api.call('POST', groupsPath(), { token: admin, body: { subject: 'Equipe', participants: [ana] } })
    ).body as unknown as Group;
    const own = created.participants[0]!.jid;
    // On the phone, unseen by the gateway: a group made there, and a description and promotion in the other.
    const familia = phoneGroups().create('Família', [ana, bia]).groupJid;
    phoneGroups().describe(created.id, 'Metas do mês');
    phoneGroups().change(created.id, 'promote', [ana]);
    expect((await list()).map((group) => group.id)).not.toContain(familia);

    await reconnect();
    await eventually(async () => (await list()).some((group) => group.id === familia));
    const groups = await list();
    expect(groups.find((group) => group.id === familia)).toEqual({
      id: familia,
      subject: 'Família',
      description: null,
      participants: [
        { jid: own, isAdmin: true },
        { jid: ana, isAdmin: false },
        { jid: bia, isAdmin: false },
      ],
    });
    expect(groups.find((group) => group.id === created.id)).toMatchObject({
      description: 'Metas do mês',
      participants: [
        { jid: own, isAdmin: true },
        { jid: ana, isAdmin: true },
      ],
    });
    expect(await synced()).toHaveLength(2);

    // Nothing differs at the next connect: nothing is appended.
    await reconnect();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await synced()).toHaveLength(2);
  });

  it('drops a group WhatsApp reports the session removed from', async () => {
    const created = (
      await api.call('POST', groupsPath(), {
        token: admin,
        body: { subject: 'Temporário', participants: [ana] },
      })
    ).body as unknown as Group;
    const own = created.participants[0]!.jid;
    expect((await list()).map((group) => group.id)).toContain(created.id);
    const reported = await api.call('POST', `/simulator/sessions/${sessionId}/group-update`, {
      token: admin,
      body: { groupId: created.id, action: 'remove', participants: [own.split('@')[0]] },
    });
    expect(reported.status).toBeLessThan(300);
    await eventually(async () => !(await list()).some((group) => group.id === created.id));
  });
});
