import { replaceNulCharacters } from '../domain/nul-characters.js';
import { HttpError } from './http-errors.js';
import { httpGet, NonPublicAddressError, type HttpGetResponse } from './http-get.js';
import { assertPublicUrl } from './public-address.js';

export interface MediaInput {
  data: Buffer;
  mimetype: string;
  fileName: string | null;
}

const mimetypePattern = /^[\w.+-]+\/[\w.+-]+$/;

export function checkedMimetype(value: string | undefined | null): string {
  const mimetype = value?.split(';')[0]?.trim().toLowerCase();
  if (!mimetype || !mimetypePattern.test(mimetype))
    throw new HttpError(400, 'mimetype: informe um tipo como image/jpeg ou application/pdf');
  return mimetype;
}

/** Downloads a file to send, refusing anything larger than `maxBytes` before reading it all. */
export async function downloadMedia(
  url: string,
  options: { maxBytes: number; allowPrivate: boolean },
  mimetype: string | undefined,
  fileName: string | undefined,
): Promise<MediaInput> {
  const { maxBytes } = options;
  let response: HttpGetResponse | undefined;
  let target = new URL(url);
  // Redirects are followed by hand so that each hop is checked like the first.
  for (let hop = 0; hop <= 3; hop++) {
    if (!options.allowPrivate) await assertPublicUrl(target);
    try {
      response = await httpGet(target, { publicOnly: !options.allowPrivate, timeoutMs: 15_000 });
    } catch (error) {
      if (error instanceof NonPublicAddressError)
        throw new HttpError(400, `url: ${error.host} é um endereço interno; use um endereço público`);
      throw new HttpError(
        400,
        `url: não foi possível baixar o arquivo (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || !location) break;
    response.close();
    target = new URL(location, target);
    response = undefined;
  }
  if (!response) throw new HttpError(400, 'url: redirecionamentos demais');
  const body = response;
  try {
    if (body.status < 200 || body.status >= 300)
      throw new HttpError(400, `url: o servidor respondeu ${body.status}`);
    if (Number(body.headers['content-length'] ?? 0) > maxBytes)
      throw new HttpError(413, `Arquivo maior que ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body.body) {
      size += chunk.length;
      if (size > maxBytes) throw new HttpError(413, `Arquivo maior que ${maxBytes} bytes`);
      chunks.push(chunk);
    }
    // A name taken from the URL may hold %00: kept, replaced, as a name WhatsApp reported would be.
    const name =
      fileName ?? (replaceNulCharacters(decodeURIComponent(target.pathname.split('/').pop() ?? '')) || null);
    return {
      data: Buffer.concat(chunks),
      mimetype: checkedMimetype(mimetype ?? body.headers['content-type']),
      fileName: name,
    };
  } finally {
    body.close();
  }
}

/** WhatsApp's kind of media for a mimetype. */
export function mediaKind(mimetype: string): 'image' | 'audio' | 'video' | 'document' {
  const family = mimetype.split('/')[0];
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'document';
}
