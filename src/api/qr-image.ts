import QRCode from 'qrcode';

/** WhatsApp's raw QR string drawn as the PNG data URL clients show (`data:image/png;base64,…`). */
export const qrDataUrl = (raw: string): Promise<string> =>
  QRCode.toDataURL(raw, { errorCorrectionLevel: 'M', margin: 2, width: 264 });
