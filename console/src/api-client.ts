import type {
  AuditEvent,
  Chat,
  ConnectionStatus,
  Message,
  Session,
  Stats,
  StatusData,
  Webhook,
  WebhookDelivery,
} from './types.js';

/** A refusal of the gateway, with its status code and its own message (`{ statusCode, error, message }`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface StartReply {
  status: ConnectionStatus;
  qrCode?: string;
  pairingCode?: string;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * A message's `media.url` when it is the gateway's media endpoint (`/whatsapp/sessions/:id/messages/:messageId/media`),
 * the only place the console fetches media from with the token; `null` otherwise (a download pending or failed, or
 * a gateway that has no such endpoint yet).
 */
export function mediaEndpoint(url: string | null): string | null {
  return url !== null && /^\/whatsapp\/sessions\/[^/?#]+\/messages\/[^/?#]+\/media$/.test(url) ? url : null;
}

/**
 * The public REST API, called with the signed-in user's token; a 401 calls `onUnauthorized` (the console signs
 * out) before the error is thrown.
 */
export function createApiClient(token: string, onUnauthorized: () => void) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    if (method === 'POST' && path.startsWith('/whatsapp/messages/'))
      headers['idempotency-key'] = crypto.randomUUID();
    const response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    if (response.status === 401) onUnauthorized();
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = (json as { message?: unknown } | undefined)?.message;
      throw new ApiError(response.status, typeof message === 'string' ? message : response.statusText);
    }
    return json as T;
  }
  const session = (id: string) => `/whatsapp/sessions/${encodeURIComponent(id)}`;
  const webhook = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
  const chat = (id: string, chatId: string) => `${session(id)}/chats/${encodeURIComponent(chatId)}`;

  return {
    sessions: () => call<Session[]>('GET', '/sessions'),
    createSession: (name: string, phoneNumber: string) =>
      call<Session>('POST', '/sessions', {
        Session_Name: name,
        ...(phoneNumber ? { Phone_Number: phoneNumber } : {}),
      }),
    renameSession: (id: string, name: string) =>
      call<Session>('PATCH', `/sessions/${encodeURIComponent(id)}`, { Session_Name: name }),
    deleteSession: (id: string) => call<undefined>('DELETE', `/sessions/${encodeURIComponent(id)}`),
    /** With a phone number, links by pairing code (status `pairing`) instead of a QR code. */
    start: (id: string, phoneNumber?: string) =>
      call<StartReply>('POST', `${session(id)}/start`, phoneNumber ? { phoneNumber } : undefined),
    status: (id: string) => call<StatusData>('GET', `${session(id)}/status`),
    qr: (id: string) => call<{ qrCode: string }>('GET', `${session(id)}/qr`),
    stop: (id: string) => call<{ message: string }>('POST', `${session(id)}/stop`),
    chats: (id: string) => call<{ chats: Chat[] }>('GET', `${session(id)}/chats`),
    messages: (id: string, chatId: string, before?: string) =>
      call<{ messages: Message[] }>(
        'GET',
        `${chat(id, chatId)}/messages?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      ),
    sendText: (sessionId: string, to: string, message: string) =>
      call<{ result: { id: string } }>('POST', '/whatsapp/messages/send', { sessionId, to, message }),
    sendFile: (sessionId: string, to: string, file: File, caption: string) => {
      const form = new FormData();
      form.set('sessionId', sessionId);
      form.set('to', to);
      if (caption) form.set('caption', caption);
      form.set('file', file, file.name);
      return call<{ result: { id: string } }>('POST', '/whatsapp/messages/send-media', form);
    },
    markRead: (id: string, chatId: string) => call<undefined>('POST', `${chat(id, chatId)}/read`),
    stats: () => call<Stats>('GET', '/whatsapp/stats'),
    audit: (id: string, after?: string) =>
      call<{ events: AuditEvent[]; next: string | null }>(
        'GET',
        `/audit/sessions/${encodeURIComponent(id)}/events?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      ),
    webhooks: () => call<Webhook[]>('GET', '/webhooks'),
    createWebhook: (url: string, events: string[], sessionId: string | null) =>
      call<Webhook & { secret: string }>('POST', '/webhooks', {
        url,
        events,
        ...(sessionId ? { sessionId } : {}),
      }),
    updateWebhook: (id: string, change: { enabled: boolean }) =>
      call<Webhook>('PATCH', `${webhook(id)}`, change),
    deleteWebhook: (id: string) => call<undefined>('DELETE', webhook(id)),
    deliveries: (id: string, status: WebhookDelivery['status'] | '') =>
      call<{ deliveries: WebhookDelivery[] }>(
        'GET',
        `${webhook(id)}/deliveries?limit=50${status ? `&status=${status}` : ''}`,
      ),
    retryDelivery: (id: string, deliveryId: string) =>
      call<{ message: string }>('POST', `${webhook(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`),
    replay: (id: string, from: Date) =>
      call<{ message: string; deliveries: number }>('POST', `${webhook(id)}/replay`, {
        from: from.toISOString(),
      }),
    /** A message's stored media, fetched with the token (an <img src> could not send it) as an object URL. */
    async mediaUrl(path: string): Promise<string> {
      // The token goes only to the gateway's own paths.
      if (!path.startsWith('/') || path.startsWith('//'))
        throw new ApiError(400, 'media outside the gateway');
      const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
      if (response.status === 401) onUnauthorized();
      if (!response.ok) throw new ApiError(response.status, response.statusText);
      return URL.createObjectURL(await response.blob());
    },
  };
}
