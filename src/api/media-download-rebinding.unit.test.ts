import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadMedia } from './media-input.js';

// A name that answers a public address to the check made beforehand and a loopback one to the connection
// (DNS rebinding): the check must be made on the address connected to.
vi.mock('node:dns/promises', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  lookup: () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]),
}));
vi.mock('node:dns', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  lookup: (
    _host: string,
    _options: object,
    callback: (error: null, addresses: { address: string; family: number }[]) => void,
  ) => callback(null, [{ address: '127.0.0.1', family: 4 }]),
}));

let server: Server | undefined;
afterEach(() => server?.close());

describe('send-media downloads', () => {
  it('refuse a host name that resolves to an internal address when connecting (DNS rebinding)', async () => {
    const requested: string[] = [];
    server = createServer((request, response) => {
      requested.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await expect(
      downloadMedia(
        `http://rebinding.example:${port}/secret`,
        { maxBytes: 1024, allowPrivate: false },
        undefined,
        undefined,
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/rebinding\.example é um endereço interno/),
    });
    expect(requested).toEqual([]);
  });
});
