import type { DriverStatus } from '../adapters/whatsapp/port.js';
import { notify, type Running } from './supervised-session.js';

/**
 * Keeps a running session's view (what `start` answers and waits for) in step with what its driver reports,
 * once each report is recorded; a driver that failed is handed to `onDriverGone`.
 */
export function observeSessionView(
  running: Running,
  onDriverGone: (running: Running, retryable: boolean, reason: string) => void,
) {
  return {
    qr(code: string) {
      running.view = { status: 'qr', qrCode: code };
      notify(running);
    },
    pairing(code: string) {
      running.view = { status: 'pairing', qrCode: null, pairingCode: code };
      notify(running);
    },
    status(status: DriverStatus) {
      if (status.type === 'failed') {
        running.view = { status: 'disconnected', qrCode: null };
        running.failure = status.reason;
        onDriverGone(running, status.retryable, status.reason);
      } else {
        running.view = {
          status:
            status.type === 'connected'
              ? 'connected'
              : status.type === 'connecting'
                ? 'connecting'
                : 'disconnected',
          qrCode: null,
        };
        if (status.type === 'connected') running.restarts = 0;
      }
      notify(running);
    },
  };
}
