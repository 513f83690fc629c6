/** The shapes of the public API the console reads (API.md); only the fields it shows. */

export type Role = 'ADMIN' | 'MANAGER' | 'AGENT';
export type ConnectionStatus = 'disconnected' | 'connecting' | 'qr' | 'connected' | 'pairing';

export interface Session {
  Id: string;
  Session_Name: string;
  Phone_Number: string | null;
  Status: number;
  Last_Heartbeat: string | null;
}

export interface Chat {
  id: string;
  name: string | null;
  lastMessageTime: number | null;
  unreadCount: number;
}

export interface Message {
  id: string;
  chatId: string;
  direction: 'IN' | 'OUT';
  type: string;
  body: string | null;
  status: number;
  timestamp: number;
  from: string;
  to: string;
  fromMe: boolean;
  media?: {
    mimetype: string;
    caption: string | null;
    fileName: string | null;
    size: number | null;
    url: string | null;
    /** Why the download is not there (pending or failed for good), when `url` is null. */
    downloadError?: string;
  };
  quotedId?: string;
  author?: string;
  editedAt?: number;
  revoked?: boolean;
  reactions?: { emoji: string; from: string; timestamp: number }[];
  location?: { latitude: number; longitude: number; name: string | null; address: string | null };
  poll?: { name: string; options: { name: string; votes: number }[] };
}

export interface Ack {
  id: string;
  chatId: string;
  status: number;
  /** The gateway's own id of a sent message, on the ack that gives it its WhatsApp id. */
  messageId?: string;
}

export interface StatusData {
  sessionId: string;
  status: ConnectionStatus;
  isConnected: boolean;
  qrCode?: string;
  pairingCode?: string;
}

export type Frame =
  | { type: 'status' | 'status_change'; data: StatusData }
  | { type: 'message'; data: Message }
  | { type: 'ack'; data: Ack }
  | { type: 'reaction'; data: { id: string; chatId: string; emoji: string; from: string } }
  | { type: 'message_edit'; data: { id: string; chatId: string; body: string } }
  | { type: 'message_revoke'; data: { id: string; chatId: string } };

export interface Stats {
  total: number;
  connected: number;
  disconnected: number;
  sessions: { id: string; status: ConnectionStatus }[];
}

export interface AuditEvent {
  position: string;
  eventId: string;
  type: string;
  recordedAt: string;
  actor: unknown;
}

/** The WebSocket frame types a webhook may ask for (API.md "Webhooks"); `*` is every one. */
export const webhookEvents = [
  'message',
  'ack',
  'status_change',
  'reaction',
  'message_edit',
  'message_revoke',
  'poll_vote',
  'group_update',
] as const;

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  sessionId: string | null;
  enabled: boolean;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}
