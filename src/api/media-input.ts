import { HttpError } from './http-errors.js';

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
  maxBytes: number,
  mimetype: string | undefined,
  fileName: string | undefined,
): Promise<MediaInput> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(15_000), redirect: 'follow' });
  } catch (error) {
    throw new HttpError(
      400,
      `url: não foi possível baixar o arquivo (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!response.ok || !response.body)
    throw new HttpError(400, `url: o servidor respondeu ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes)
    throw new HttpError(413, `Arquivo maior que ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Uint8Array).length;
    if (size > maxBytes) throw new HttpError(413, `Arquivo maior que ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  const name = fileName ?? (decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || null);
  return {
    data: Buffer.concat(chunks),
    mimetype: checkedMimetype(mimetype ?? response.headers.get('content-type')),
    fileName: name,
  };
}

/** WhatsApp's kind of media for a mimetype. */
export function mediaKind(mimetype: string): 'image' | 'audio' | 'video' | 'document' {
  const family = mimetype.split('/')[0];
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'document';
}
