import type { TestGateway } from './gateway-harness.js';

/** A session of `companyId` named `name`, registered, started and scanned through the API; its id. */
export async function connectedSession(api: TestGateway, companyId: string, name: string): Promise<string> {
  const admin = api.token(companyId, 'ADMIN');
  const id = (await api.call('POST', '/sessions', { token: admin, body: { Session_Name: name } })).body
    .Id as string;
  await api.call('POST', `/whatsapp/sessions/${id}/start`, { token: admin });
  const scanned = await api.call('POST', `/simulator/sessions/${id}/scan`, { token: admin });
  if (scanned.status !== 204) throw new Error(`scanning session ${id} answered ${scanned.status}`);
  return id;
}
