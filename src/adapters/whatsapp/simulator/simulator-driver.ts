import { toJid } from '../../../domain/jid.js';
import type { DriverSession, WhatsAppDriver } from '../port.js';
import { createMemoryLoginStore, type LoginStore } from './login-store.js';
import { SimulatedPhone } from './simulated-phone.js';
import { SimulatedSessionNotRunningError } from './simulator-errors.js';
import { defaultSimulatorSettings, type SimulatorSettings } from './simulator-settings.js';

export interface SimulatedIncoming {
  /** A number or JID of the contact, or a group JID (`…@g.us`) with `author`. */
  from: string;
  body: string;
  name?: string | undefined;
  type?: string | undefined;
  /** The group member who wrote, for a group. */
  author?: string | undefined;
  media?:
    { mimetype: string; caption?: string | null; fileName?: string | null; size?: number | null } | undefined;
}

/** What tests, demos and benchmarks do in place of the phone and the contacts. */
export interface SimulatorControls {
  scan(sessionId: string): Promise<void>;
  /** Resolves with the message's WhatsApp id once the gateway recorded it. */
  incoming(sessionId: string, message: SimulatedIncoming): Promise<string>;
  disconnect(sessionId: string, reason: string, options?: { unlink?: boolean }): Promise<void>;
  /** The session's browser dies: no more callbacks, and the heartbeat probe fails. */
  kill(sessionId: string): void;
  /** The next `count` sends of the session fail, transiently or for good. */
  failSends(sessionId: string, plan: { count: number; permanent: boolean; reason?: string }): void;
  isRunning(sessionId: string): boolean;
}

export type SimulatorDriver = WhatsAppDriver & SimulatorControls;

/**
 * A faithful stand-in for WhatsApp: QR codes that rotate and run out, a login that survives restarts, incoming
 * messages of every kind, acks after sends, echoes of own messages, dropped connections and unlinked phones.
 *
 * @example
 * const simulator = createSimulatorDriver({ settings: { qrIntervalMs: 20_000 } });
 * const session = await simulator.start({ sessionId, callbacks });
 * await simulator.scan(sessionId);
 */
export function createSimulatorDriver(
  options: { settings?: Partial<SimulatorSettings>; logins?: LoginStore } = {},
): SimulatorDriver {
  const settings = { ...defaultSimulatorSettings, ...options.settings };
  const logins = options.logins ?? createMemoryLoginStore();
  const phones = new Map<string, SimulatedPhone>();
  const afterSendDelay = () =>
    settings.sendDelayMs > 0
      ? new Promise<void>((resolve) => setTimeout(resolve, settings.sendDelayMs))
      : Promise.resolve();

  const phone = (sessionId: string): SimulatedPhone => {
    const found = phones.get(sessionId);
    if (!found) throw new SimulatedSessionNotRunningError(sessionId);
    return found;
  };

  return {
    name: 'simulator',

    start({ sessionId, callbacks }) {
      phones.get(sessionId)?.stop();
      const simulated = new SimulatedPhone(sessionId, callbacks, logins, settings);
      phones.set(sessionId, simulated);
      simulated.boot();
      const session: DriverSession = {
        sendText: (to, text) => afterSendDelay().then(() => simulated.send(to, text)),
        sendMedia: (to, media) => afterSendDelay().then(() => simulated.send(to, media.caption ?? '')),
        isAlive: () => Promise.resolve(simulated.state !== 'dead' && simulated.state !== 'stopped'),
        stop: () => {
          simulated.stop();
          if (phones.get(sessionId) === simulated) phones.delete(sessionId);
          return Promise.resolve();
        },
        logout: async () => {
          await session.stop();
          await logins.remove(sessionId);
        },
      };
      return Promise.resolve(session);
    },

    hasSavedLogin: (sessionId) => Promise.resolve(logins.has(sessionId)),
    removeSessionData: (sessionId) => logins.remove(sessionId),

    close() {
      for (const simulated of phones.values()) simulated.stop();
      phones.clear();
      return Promise.resolve();
    },

    scan: async (sessionId) => phone(sessionId).scan(),

    async incoming(sessionId, message) {
      const chatJid = toJid(message.from);
      const isGroup = chatJid.endsWith('@g.us');
      const sender = isGroup ? toJid(message.author ?? message.from) : chatJid;
      const media = message.media
        ? {
            mimetype: message.media.mimetype,
            caption: message.media.caption ?? null,
            fileName: message.media.fileName ?? null,
            size: message.media.size ?? null,
          }
        : null;
      return await phone(sessionId).deliver({
        chatJid,
        isGroup,
        fromMe: false,
        from: sender,
        senderName: message.name ?? null,
        senderPhone: sender.endsWith('@c.us') ? sender.slice(0, -5) : null,
        chatName: null,
        type: message.type ?? (media ? media.mimetype.split('/')[0]! : 'chat'),
        body: message.body,
        media,
      });
    },

    disconnect: (sessionId, reason, { unlink = false } = {}) => phone(sessionId).disconnect(reason, unlink),
    kill: (sessionId) => phone(sessionId).kill(),
    failSends(sessionId, { count, permanent, reason }) {
      phone(sessionId).failures = {
        remaining: count,
        permanent,
        reason: reason ?? (permanent ? 'number is not on WhatsApp' : 'WhatsApp did not answer in time'),
      };
    },
    isRunning: (sessionId) => phones.has(sessionId),
  };
}
