import { TimedOutError, withTimeout } from './with-timeout.js';
import type { WppClient } from './wpp-client.js';
import { isFields, serializedId, stringField } from './wpp-values.js';

const lookupMs = 5000;
const maxEntries = 10_000;
/** How long a miss (no phone for a `@lid`, no group name) is remembered before WhatsApp is asked again. */
const missTtlMs = 5 * 60_000;
const groupNameTtlMs = 10 * 60_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * What WhatsApp Web knows of the session's contacts and groups, asked once and remembered: the phone JID a
 * linked-device id (`…@lid`) stands for, and group names. A failed lookup counts as a miss.
 */
export function createContactDirectory(
  client: WppClient,
  onMapped: (mapping: { lid: string; phoneJid: string }) => void,
  clock: () => number = Date.now,
) {
  const phones = new Map<string, Entry<string | null>>();
  const groupNames = new Map<string, Entry<string | null>>();

  function remember<T>(cache: Map<string, Entry<T>>, key: string, value: T, ttlMs: number): T {
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { value, until: clock() + ttlMs });
    return value;
  }

  function fresh<T>(cache: Map<string, Entry<T>>, key: string): Entry<T> | undefined {
    const entry = cache.get(key);
    return entry && entry.until > clock() ? entry : undefined;
  }

  // One lookup per id at a time: a message names the same `@lid` as its chat, its sender and its recipient.
  const asking = new Map<string, Promise<string | null>>();

  async function lookUpPhone(lid: string): Promise<string | null> {
    const entry = await ask(client.getPnLidEntry(lid), 'getPnLidEntry');
    const phoneJid = isFields(entry) ? serializedId(entry['phoneNumber']) : null;
    if (!phoneJid?.endsWith('@c.us')) return remember(phones, lid, null, missTtlMs);
    onMapped({ lid, phoneJid });
    return remember(phones, lid, phoneJid, Number.POSITIVE_INFINITY);
  }

  function phoneOf(lid: string): Promise<string | null> {
    const known = fresh(phones, lid);
    if (known) return Promise.resolve(known.value);
    let lookup = asking.get(lid);
    if (!lookup) {
      lookup = lookUpPhone(lid).finally(() => asking.delete(lid));
      asking.set(lid, lookup);
    }
    return lookup;
  }

  return {
    /** The id a chat or a sender is kept under: a `@lid` id's phone JID when known, otherwise the id itself. */
    async canonical(jid: string): Promise<string> {
      if (!jid.endsWith('@lid')) return jid;
      return (await phoneOf(jid)) ?? jid;
    },

    /** A group's name (its subject), or null. */
    async groupName(jid: string): Promise<string | null> {
      const known = fresh(groupNames, jid);
      if (known) return known.value;
      const chat = await ask(client.getChatById(jid), 'getChatById');
      const metadata = isFields(chat) ? chat['groupMetadata'] : null;
      const name =
        stringField(metadata, 'subject') ?? stringField(chat, 'name') ?? stringField(chat, 'formattedTitle');
      return remember(groupNames, jid, name, name ? groupNameTtlMs : missTtlMs);
    },
  };
}

export type ContactDirectory = ReturnType<typeof createContactDirectory>;

function ask(promise: Promise<unknown>, operation: string): Promise<unknown> {
  return withTimeout(promise, lookupMs, () => new TimedOutError(operation, lookupMs)).catch(() => null);
}
