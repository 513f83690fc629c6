import { useTexts } from '../i18n-context.js';
import { useNow } from '../use-now.js';

/** How the phone links: a QR code to scan (with when it was issued) or a pairing code to type. */
export type Linking = { qrCode: string; issuedAt: number } | { pairingCode: string };

/** WhatsApp lets a QR code be scanned for a minute; a new one comes before that. */
const qrLifetimeMs = 60_000;

/** The QR code, refreshed as new ones come, with a countdown; or the pairing code. */
export function LinkPanel({ linking }: { linking: Linking }) {
  const t = useTexts();
  const now = useNow();
  if ('pairingCode' in linking) {
    return (
      <section class="link-panel" aria-labelledby="pairing-title">
        <h3 id="pairing-title">{t.pairingCode}</h3>
        <p class="pairing-code">{linking.pairingCode}</p>
        <p class="help">{t.pairingHelp}</p>
      </section>
    );
  }
  const left = Math.ceil((linking.issuedAt + qrLifetimeMs - now) / 1000);
  return (
    <section class="link-panel" aria-labelledby="qr-title">
      <h3 id="qr-title">{t.qrCode}</h3>
      <img class="qr" src={linking.qrCode} alt={t.qrCode} width={264} height={264} />
      <p class="help" role="timer">
        {left > 0 ? t.expiresIn(left) : t.qrExpired}
      </p>
      <p class="help">{t.scanHelp}</p>
    </section>
  );
}
