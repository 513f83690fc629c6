import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPair } from '../../test-support/gateway-pair.js';

type Group = { id: string; participants: { jid: string; isAdmin: boolean }[] };

/**
 * The session runs on process A; group commands go to process B, which carries them to A's driver over the bus.
 * A reply means it happened: a read on A right after B's reply shows the change.
 */
describe('group commands across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let call: ReturnType<typeof pair.caller>;
  let sessionId: string;
  const ana = '5511966665555@c.us';
  const bia = '5511944443333@c.us';

  beforeAll(async () => {
    pair = await startGatewayPair('groups');
    call = pair.caller('acme', 'MANAGER');
    sessionId = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Grupos' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  const groupsOn = async (url: string) =>
    (await call(url, 'GET', `/whatsapp/sessions/${sessionId}/groups`)).body.groups as Group[];

  it('creates and changes a group through the process that does not run the session; the other reads it at once', async () => {
    expect(pair.a.supervisor.driverSession(sessionId)).toBeDefined();
    expect(pair.b.supervisor.driverSession(sessionId)).toBeUndefined();

    const created = await call(pair.b.url, 'POST', `/whatsapp/sessions/${sessionId}/groups`, {
      subject: 'Dois processos',
      participants: [ana],
    });
    expect(created.status).toBe(201);
    const groupId = (created.body as unknown as Group).id;
    expect((await groupsOn(pair.a.url)).map((g) => g.id)).toContain(groupId);

    const changed = await call(
      pair.b.url,
      'POST',
      `/whatsapp/sessions/${sessionId}/groups/${groupId}/participants`,
      {
        add: [bia],
        promote: [ana],
      },
    );
    expect(changed.status).toBe(200);
    expect((await groupsOn(pair.a.url)).find((g) => g.id === groupId)?.participants.slice(1)).toEqual([
      { jid: ana, isAdmin: true },
      { jid: bia, isAdmin: false },
    ]);

    // The driver on A kept the membership B's request changed: removing a non-member is refused there.
    const refused = await call(
      pair.b.url,
      'POST',
      `/whatsapp/sessions/${sessionId}/groups/${groupId}/participants`,
      {
        remove: ['5511933332222'],
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('not a participant');

    expect(
      (await call(pair.b.url, 'POST', `/whatsapp/sessions/${sessionId}/groups/${groupId}/leave`)).status,
    ).toBe(204);
    expect((await groupsOn(pair.a.url)).some((g) => g.id === groupId)).toBe(false);
    expect(
      (await call(pair.b.url, 'POST', `/whatsapp/sessions/${sessionId}/groups/${groupId}/leave`)).status,
    ).toBe(404);
  });
});
