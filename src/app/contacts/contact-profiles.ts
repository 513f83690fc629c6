import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../../adapters/event-store/port.js';
import type { DriverSession } from '../../adapters/whatsapp/port.js';
import { whatsappActor } from '../../domain/actor.js';
import { clientKeyOf } from '../../domain/client-key.js';
import type { ChatCommand } from '../../domain/chat/chat-commands.js';
import { chatStream, chatStreamName } from '../../domain/chat/chat-stream.js';
import { sniffMimetype } from '../../domain/media-sniffing.js';
import type { Logger } from '../../logger.js';
import type { CommandHandler } from '../command-handler.js';
import type { MediaBlobStore } from '../media-blob-store.js';

export interface ContactProfilesOptions {
  handle: CommandHandler;
  blobs: MediaBlobStore;
  /** The session's driver when it runs in this process: only that process asks WhatsApp. */
  driverSession: (sessionId: string) => DriverSession | undefined;
  /** The picture (SHA-256) the read model holds for the contact, so that an unchanged one is not recorded again. */
  knownPicture: (companyId: string, phone: string) => Promise<string | null>;
  logger: Logger;
  /** A contact is asked again at most this often (per process): a day. */
  refreshMs?: number;
  attempts?: number;
  retryInitialMs?: number;
  now?: () => number;
}

interface Lookup {
  companyId: string;
  sessionId: string;
  contactJid: string;
  /** The contact's linked-device id when WhatsApp addressed it by one (`senderLid`). */
  lidJid: string | null;
  /** What names its Clients row: its number, or its linked-device id while WhatsApp hides the number. */
  phone: string;
  /** Its messages carry no name: the phone's contact list is asked for one. */
  wantsName: boolean;
  causationId: string;
}

const day = 24 * 60 * 60 * 1000;
const maxRemembered = 100_000;

/**
 * Asks WhatsApp, in the background and one contact at a time, for the profile picture (and, where messages carry
 * no name, the contact-list name) of each contact that writes to a session this process runs, in its chat or in
 * a group, by its phone address and else by its linked-device id: on first contact,
 * then at most once per `refreshMs`. A new or changed picture is kept in the blob store and recorded
 * (ContactPictureKept), a name found is recorded (ContactNamed), on the contact's chat stream.
 */
export function createContactProfiles(options: ContactProfilesOptions) {
  const refreshMs = options.refreshMs ?? day;
  const attempts = options.attempts ?? 3;
  const retryInitialMs = options.retryInitialMs ?? 1000;
  const now = options.now ?? Date.now;
  const askedAt = new Map<string, number>();
  const waiting: Lookup[] = [];
  let running: Promise<void> | null = null;

  const record = (lookup: Lookup, command: ChatCommand, factKey: string) =>
    options.handle(chatStream, chatStreamName(lookup.sessionId, lookup.contactJid), command, {
      companyId: lookup.companyId,
      sessionId: lookup.sessionId,
      actor: whatsappActor(lookup.sessionId),
      correlationId: lookup.causationId,
      causationId: lookup.causationId,
      factKey,
    });

  /** The driver's answer, retried with backoff; undefined when it never answered (or the session left). */
  async function ask<T>(call: (session: DriverSession) => Promise<T> | undefined, lookup: Lookup) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const session = options.driverSession(lookup.sessionId);
      if (!session) return undefined;
      try {
        return { answer: await call(session) };
      } catch (error) {
        if (attempt === attempts)
          options.logger.warn(
            { err: error, sessionId: lookup.sessionId, contactJid: lookup.contactJid },
            'WhatsApp did not tell a contact’s profile',
          );
        else await sleep(retryInitialMs * 2 ** (attempt - 1));
      }
    }
    return undefined;
  }

  /**
   * Asks by the contact's phone address, then by its linked-device id when that answered nothing: WhatsApp
   * increasingly knows a contact (its picture, the phone's contact-list entry) by the id it addresses it by.
   */
  async function askEitherAddress<T>(
    call: (session: DriverSession, jid: string) => Promise<T | null> | undefined,
    lookup: Lookup,
  ) {
    const byPhone = await ask((session) => call(session, lookup.contactJid), lookup);
    if (byPhone?.answer || !lookup.lidJid) return byPhone;
    const lidJid = lookup.lidJid;
    return ask((session) => call(session, lidJid), lookup);
  }

  async function lookUp(lookup: Lookup): Promise<void> {
    const picture = await askEitherAddress((session, jid) => session.profilePicture?.(jid), lookup);
    if (picture?.answer) {
      const data = picture.answer;
      const sha256 = createHash('sha256').update(data).digest('hex');
      if ((await options.knownPicture(lookup.companyId, lookup.phone)) !== sha256) {
        const mimetype = sniffMimetype(data) ?? 'image/jpeg';
        await options.blobs.put(lookup.companyId, { sha256, mimetype, data });
        await record(
          lookup,
          {
            type: 'RecordContactPicture',
            sessionId: lookup.sessionId,
            chatJid: lookup.contactJid,
            contactJid: lookup.contactJid,
            phone: lookup.phone,
            sha256,
            size: data.length,
            mimetype,
          },
          // One fact per lookup (its message's event id): the same picture shown again after another one is a
          // new fact, and must not fall on the first one's event id.
          `picture:${lookup.contactJid}:${sha256}:${lookup.causationId}`,
        );
      }
    }
    if (!lookup.wantsName) return;
    const name = await askEitherAddress((session, jid) => session.contactName?.(jid), lookup);
    if (name?.answer)
      await record(
        lookup,
        {
          type: 'RecordContactName',
          sessionId: lookup.sessionId,
          chatJid: lookup.contactJid,
          contactJid: lookup.contactJid,
          phone: lookup.phone,
          name: name.answer,
        },
        `contact-name:${lookup.contactJid}:${name.answer}`,
      );
  }

  async function drainQueue(): Promise<void> {
    for (let lookup = waiting.shift(); lookup; lookup = waiting.shift())
      await lookUp(lookup).catch((error: unknown) =>
        options.logger.error(
          { err: error, sessionId: lookup.sessionId, contactJid: lookup.contactJid },
          'Could not keep a contact’s profile',
        ),
      );
    running = null;
  }

  return {
    /** Takes up the contacts of messages this process stored (so, of the sessions it runs). */
    takeUpCommitted(events: readonly RecordedEvent[]): void {
      for (const event of events) {
        if (event.type !== 'MessageReceived' || event.data.fromMe === true) continue;
        const { from, senderPhone, senderName, senderLid } = event.data;
        const { sessionId, companyId } = event.metadata as { sessionId?: string; companyId?: string };
        if (typeof from !== 'string') continue;
        // A contact WhatsApp shows only by its linked-device id is asked by that id, for its row under the id.
        const clientKey = typeof senderPhone === 'string' && senderPhone ? senderPhone : clientKeyOf(from);
        if (!(from.endsWith('@c.us') || from.endsWith('@lid')) || !clientKey) continue;
        if (!sessionId || !companyId || !options.driverSession(sessionId)) continue;
        const key = `${sessionId}|${from}`;
        const last = askedAt.get(key);
        if (last !== undefined && now() - last < refreshMs) continue;
        askedAt.delete(key);
        askedAt.set(key, now());
        // The longest-quiet contact is forgotten first (asked again on its next message), bounding the memory.
        if (askedAt.size > maxRemembered) askedAt.delete(askedAt.keys().next().value!);
        waiting.push({
          companyId,
          sessionId,
          contactJid: from,
          lidJid: typeof senderLid === 'string' && senderLid.endsWith('@lid') ? senderLid : null,
          phone: clientKey,
          wantsName: typeof senderName !== 'string' || senderName.length === 0,
          causationId: event.id,
        });
      }
      if (waiting.length && !running) running = drainQueue();
    },
    /** Resolves once every lookup taken up so far has ended. */
    async drain(): Promise<void> {
      while (running) await running;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
