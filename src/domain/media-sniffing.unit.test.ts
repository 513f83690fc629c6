import { describe, expect, it } from 'vitest';
import { keptMimetype, sniffMimetype } from './media-sniffing.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

describe('media sniffing', () => {
  it('recognises the signatures of common files', () => {
    expect(sniffMimetype(bytes('ffd8ffe000104a46'))).toBe('image/jpeg');
    expect(sniffMimetype(bytes('89504e470d0a1a0a0000'))).toBe('image/png');
    expect(sniffMimetype(Buffer.from('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffMimetype(Buffer.from('OggS\0\x02'))).toBe('audio/ogg');
    expect(sniffMimetype(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffMimetype(Buffer.from('\0\0\0\x18ftypmp42'))).toBe('video/mp4');
    expect(sniffMimetype(Buffer.from('plain text'))).toBeUndefined();
  });

  it('keeps the declared type when the bytes agree or show nothing known', () => {
    expect(keptMimetype('audio/ogg; codecs=opus', Buffer.from('OggS\0'))).toEqual({
      mimetype: 'audio/ogg; codecs=opus',
      mismatch: false,
    });
    expect(keptMimetype('text/plain', Buffer.from('hello'))).toEqual({
      mimetype: 'text/plain',
      mismatch: false,
    });
    expect(
      keptMimetype(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes('504b0304'),
      ),
    ).toMatchObject({ mismatch: false });
    expect(keptMimetype('audio/mp4', Buffer.from('\0\0\0\x18ftypM4A '))).toMatchObject({ mismatch: false });
  });

  it('keeps a file under the type its bytes show when they contradict the declared one', () => {
    expect(keptMimetype('application/pdf', bytes('89504e470d0a1a0a'))).toEqual({
      mimetype: 'image/png',
      mismatch: true,
    });
  });
});
