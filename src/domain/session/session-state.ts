/**
 * The connection status the API speaks; the Sessions table stores it as 0–4 in this order (`pairing`: waiting for
 * the pairing code to be entered on the phone, when linking by phone number).
 */
export const connectionStatuses = ['disconnected', 'connecting', 'qr', 'connected', 'pairing'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

/** How long a QR code can be scanned after WhatsApp issued it. */
export const qrCodeLifetimeMs = 60_000;

export interface SessionState {
  lifecycle: 'unregistered' | 'registered' | 'deleted';
  companyId: string | null;
  name: string | null;
  phoneNumber: string | null;
  /** What users asked for last: the supervisor restores sessions whose last request was start. */
  desired: 'running' | 'stopped';
  /** Whether a driver is up for this session (between connecting and stopped, failed or dead). */
  driverRunning: boolean;
  connection: ConnectionStatus;
  qr: { attempt: number; expiresAt: string } | null;
  waId: string | null;
}

export const initialSessionState = (): SessionState => ({
  lifecycle: 'unregistered',
  companyId: null,
  name: null,
  phoneNumber: null,
  desired: 'stopped',
  driverRunning: false,
  connection: 'disconnected',
  qr: null,
  waId: null,
});
