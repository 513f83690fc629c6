import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as PublicAddress from '../domain/public-address.js';
import { downloadMedia } from './media-input.js';

// The test's own server listens on 127.0.0.1, which is not public: that one address is let through, so that a
// redirect from it can be followed to the address under test. Every other address is judged for real.
vi.mock('../domain/public-address.js', async (importOriginal) => {
  const real = await importOriginal<typeof PublicAddress>();
  return {
    ...real,
    isPublicAddress: (address: string) => address === '127.0.0.1' || real.isPublicAddress(address),
  };
});

let server: Server | undefined;
const requested: string[] = [];
afterEach(() => {
  server?.close();
  requested.length = 0;
});

async function serve(redirectTo?: (port: number) => string): Promise<number> {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    if (redirectTo && request.url === '/start') response.writeHead(302, { location: redirectTo(port) }).end();
    else response.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return port;
}

const download = (url: string) =>
  downloadMedia(url, { maxBytes: 1024, allowPrivate: false }, 'text/plain', undefined);

describe('send-media downloads', () => {
  it.each([
    (port: number) => `http://[::ffff:127.0.0.1]:${port}/secret`,
    (port: number) => `http://[::ffff:7f00:1]:${port}/secret`,
    (port: number) => `http://[0:0:0:0:0:ffff:7f00:1]:${port}/secret`,
    (port: number) => `http://2130706434:${port}/secret`,
    (port: number) => `http://0x7f.2:${port}/secret`,
    (port: number) => `http://0177.0.0.2:${port}/secret`,
    (port: number) => `http://[::]:${port}/secret`,
    (port: number) => `http://0.0.0.0:${port}/secret`,
  ])('refuse an internal address however it is written, directly: %s', async (url) => {
    const port = await serve();
    await expect(download(url(port))).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/endereço interno/),
    });
    expect(requested).toEqual([]);
  });

  it('refuse an internal address written as IPv4-mapped IPv6 behind a redirect', async () => {
    const port = await serve((p) => `http://[::ffff:127.0.0.1]:${p}/secret`);
    await expect(download(`http://127.0.0.1:${port}/start`)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/::ffff:7f00:1 é um endereço interno/),
    });
    expect(requested).toEqual(['/start']);
  });
});
