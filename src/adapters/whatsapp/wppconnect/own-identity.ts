import { withTimeout, TimedOutError } from './with-timeout.js';
import type { WppClient } from './wpp-client.js';
import { isFields, serializedId } from './wpp-values.js';

const lookupMs = 10_000;

/** The session's own WhatsApp id and phone number, from the logged-in page. */
export async function ownIdentity(client: WppClient): Promise<{ waId: string; phoneNumber: string | null }> {
  const wid = serializedId(await ask(client.getWid(), 'getWid'));
  const known = [wid];
  // With linked-device ids (`@lid`) the phone number is only on the host device.
  if (!wid?.endsWith('@c.us')) {
    const host = await ask(client.getHostDevice(), 'getHostDevice').catch(() => null);
    if (isFields(host)) known.push(serializedId(host['wid']), serializedId(host['me']));
  }
  const waId = known.find((id) => id !== null) ?? null;
  if (!waId) throw new Error('WhatsApp Web did not tell its own id');
  const phoneJid = known.find((id) => id?.endsWith('@c.us'));
  return { waId, phoneNumber: phoneJid ? phoneJid.slice(0, -'@c.us'.length) : null };
}

function ask<T>(promise: Promise<T>, operation: string): Promise<T> {
  return withTimeout(promise, lookupMs, () => new TimedOutError(operation, lookupMs));
}
