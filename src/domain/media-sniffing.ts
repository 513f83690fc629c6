/** File signatures (magic bytes) of the types WhatsApp carries most, checked at these offsets. */
const signatures: { mimetype: string; offset: number; bytes: number[] }[] = [
  { mimetype: 'image/jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { mimetype: 'image/png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimetype: 'image/gif', offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { mimetype: 'application/pdf', offset: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mimetype: 'audio/ogg', offset: 0, bytes: [0x4f, 0x67, 0x67, 0x53] },
  { mimetype: 'video/mp4', offset: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { mimetype: 'application/zip', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
];
const riff = [0x52, 0x49, 0x46, 0x46];
const webp = [0x57, 0x45, 0x42, 0x50];

const at = (data: Uint8Array, offset: number, bytes: number[]) =>
  data.length >= offset + bytes.length && bytes.every((byte, index) => data[offset + index] === byte);

/** The type a file's first bytes show, when they match a known signature. */
export function sniffMimetype(data: Uint8Array): string | undefined {
  if (at(data, 0, riff) && at(data, 8, webp)) return 'image/webp';
  return signatures.find((s) => at(data, s.offset, s.bytes))?.mimetype;
}

/**
 * The type to keep a file under: the declared one, unless the bytes show another type that it cannot be (an
 * `audio/ogg; codecs=opus` voice note is an ogg file; `.docx` and friends are zip files underneath).
 */
export function keptMimetype(declared: string, data: Uint8Array): { mimetype: string; mismatch: boolean } {
  const detected = sniffMimetype(data);
  const base = declared.split(';')[0]!.trim().toLowerCase();
  if (!detected || detected === base) return { mimetype: declared, mismatch: false };
  if (detected === 'application/zip' && base.startsWith('application/'))
    return { mimetype: declared, mismatch: false };
  if (detected === 'video/mp4' && (base.startsWith('video/') || base.startsWith('audio/')))
    return { mimetype: declared, mismatch: false };
  return { mimetype: detected, mismatch: true };
}
