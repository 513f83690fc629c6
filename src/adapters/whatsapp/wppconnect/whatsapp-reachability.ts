import { lookup } from 'node:dns/promises';
import { DriverStartError } from '../port.js';
import { withTimeout, TimedOutError } from './with-timeout.js';

export const whatsAppWebHost = 'web.whatsapp.com';

/** Resolves when the host name resolves; rejects with the resolver's error otherwise. */
export type ResolveHost = (host: string) => Promise<void>;

export const resolveWithDns: ResolveHost = async (host) => {
  await lookup(host);
};

/**
 * Fails fast, before any browser starts, when WhatsApp Web cannot be reached: without this check WPPConnect
 * only finds out after Chromium has launched and the page load has failed.
 */
export async function assertWhatsAppReachable(
  sessionId: string,
  resolveHost: ResolveHost,
  timeoutMs = 5000,
): Promise<void> {
  try {
    await withTimeout(
      resolveHost(whatsAppWebHost),
      timeoutMs,
      () => new TimedOutError(`DNS lookup of ${whatsAppWebHost}`, timeoutMs),
    );
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DriverStartError(
      sessionId,
      `WhatsApp Web (${whatsAppWebHost}) is unreachable: ${detail}`,
      true,
      { cause: error },
    );
  }
}
