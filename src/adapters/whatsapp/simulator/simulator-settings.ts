/** How the simulator paces what a real WhatsApp would do; tests shorten these. */
export interface SimulatorSettings {
  /** A new QR code is issued this often until one is scanned (WhatsApp: about 20 s). */
  qrIntervalMs: number;
  /** After this many QR codes the session gives up, as WhatsApp does. */
  maxQrAttempts: number;
  /** Delays after a send until the SERVER, DEVICE and READ acks. */
  ackDelaysMs: [number, number, number];
  /** How long a dropped connection takes to come back by itself. */
  reconnectDelayMs: number;
  /** How long WhatsApp takes to accept a sent message. */
  sendDelayMs: number;
  /** How long a file takes to download from WhatsApp's servers. */
  downloadDelayMs: number;
}

export const defaultSimulatorSettings: SimulatorSettings = {
  qrIntervalMs: 20_000,
  maxQrAttempts: 5,
  ackDelaysMs: [200, 800, 2000],
  reconnectDelayMs: 1000,
  sendDelayMs: 0,
  downloadDelayMs: 0,
};
