import type { RecordedEvent } from '../adapters/event-store/port.js';
import type { WebhookFrame } from '../adapters/db/webhooks/webhook-fan-out.js';
import { busMessageOf } from '../app/bus-message-of.js';
import { qrDataUrl } from './qr-image.js';
import { eventFrame } from './ws/event-frames.js';

/** The WebSocket frame of a stored event, as webhooks keep it (QR codes as the text WhatsApp gave). */
export function webhookFrameOf(event: RecordedEvent): WebhookFrame | undefined {
  return eventFrame(busMessageOf(event));
}

/** A kept frame's data as the receiver gets it: the WebSocket frame's, QR code drawn as a PNG data URL. */
export async function webhookFrameData(type: string, data: unknown): Promise<unknown> {
  if (type !== 'status_change' || typeof data !== 'object' || data === null) return data;
  const { qrCode } = data as { qrCode?: unknown };
  return typeof qrCode === 'string' ? { ...data, qrCode: await qrDataUrl(qrCode) } : data;
}
