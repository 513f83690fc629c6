/// <reference lib="dom" />
// The callbacks given to page.evaluate run in the browser.
import { createServer, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { gatewayCaller } from '../../../test-support/call-gateway.js';
import {
  aria,
  signInToConsole,
  useConsoleBrowser,
  waitForText,
} from '../../../test-support/console-browser.js';
import { jwtSecret } from '../../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../../test-support/spawn-gateway.js';
import { signToken } from '../../sign-token.js';

/**
 * One URL in front of several gateway processes, as a load balancer without stickiness: each HTTP request and
 * each WebSocket upgrade goes to the next process in turn. Counts what each process was sent.
 */
async function startRoundRobinProxy(targets: readonly string[]) {
  const requests = targets.map(() => 0);
  const upgrades = targets.map(() => 0);
  const tunnels = new Set<Socket>();
  let nextRequest = 0;
  let nextUpgrade = 0;

  const server = createServer((incoming, outgoing) => {
    const index = nextRequest++ % targets.length;
    requests[index]! += 1;
    const target = new URL(targets[index]!);
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  server.on('upgrade', (incoming, client: Socket, head: Buffer) => {
    const index = nextUpgrade++ % targets.length;
    upgrades[index]! += 1;
    const target = new URL(targets[index]!);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers: string[] = [];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2)
        headers.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      upstream.write(`${incoming.method} ${incoming.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    upgrades,
    async close() {
      for (const socket of tunnels) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the web console against two gateway processes behind one URL', () => {
  let services: GatewayServices;
  let gateways: GatewayProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  const admin = signToken(jwtSecret, { companyId: 'two-co', role: 'ADMIN', sub: 'admin-2', ttl: '1h' });
  const call = gatewayCaller(admin);

  const bed = useConsoleBrowser(
    async (consoleDir) => {
      services = await openGatewayServices('console2', jwtSecret);
      // Acks far enough apart for the ticks to be seen moving.
      const env = { ...services.env, SIMULATOR_ACK_DELAYS_MS: '300,900,1500' };
      const options = { subjectRoot: services.subjectRoot, consoleDir };
      gateways = await Promise.all([spawnGateway(env, options), spawnGateway(env, options)]);
      proxy = await startRoundRobinProxy(gateways.map((gateway) => gateway.url));
    },
    async () => {
      await proxy?.close();
      for (const gateway of gateways) {
        gateway.child.kill('SIGTERM');
        await gateway.exited;
      }
      await services?.dispose();
    },
  );

  it('links a phone, sees it connected, receives, answers and marks read, with every request and socket spread over both', async () => {
    const page = await bed.openPage(['en-US']);
    await signInToConsole(page, proxy.url, admin);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    await page.locator(aria('button', 'New session')).click();
    await page.locator(aria('textbox', 'Session name')).fill('Balanceada');
    await page.locator(aria('button', 'Create')).click();
    const sessions = (await page.waitForSelector(aria('list', 'Sessions')))!;
    await waitForText(page, sessions, 'Balanceada');
    const sessionId = ((await call(proxy.url, 'GET', '/sessions')).body as unknown as { Id: string }[])[0]!
      .Id;

    await page.locator(aria('button', 'Start')).click();
    await page.waitForSelector(aria('image', 'QR code'));
    expect((await call(proxy.url, 'POST', `/simulator/sessions/${sessionId}/scan`)).status).toBe(204);
    await waitForText(page, sessions, 'connected');
    await page.waitForSelector(aria('image', 'QR code'), { hidden: true });

    for (const body of ['Olá, vocês entregam?', 'Em Campinas'])
      expect(
        (
          await call(proxy.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
            from: '5519988887777',
            body,
            name: 'Carla',
          })
        ).status,
      ).toBe(202);
    const chats = (await page.waitForSelector(aria('list', 'Chats')))!;
    await waitForText(page, chats, '2 unread');
    await (await chats.waitForSelector('::-p-text(Carla)'))!.click();
    const messages = (await page.waitForSelector(aria('list', 'Messages')))!;
    await waitForText(page, messages, 'Em Campinas');

    await page.locator(aria('textbox', 'Message')).fill('Entregamos, sim!');
    await page.locator(aria('button', 'Send')).click();
    await waitForText(page, messages, 'Entregamos, sim!');
    await messages.waitForSelector(aria('image', 'read'));
    await page.locator(aria('button', 'Mark as read')).click();
    await page.waitForFunction((list) => !list.textContent?.includes('unread'), {}, chats);

    const sent = (await call(proxy.url, 'GET', `/simulator/sessions/${sessionId}/sent`)).body.messages as {
      body: string;
    }[];
    expect(sent.filter((message) => message.body === 'Entregamos, sim!')).toHaveLength(1);
    expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
    // Both processes answered the console's requests; its session's socket went to one of them.
    expect(proxy.requests.every((count) => count > 0)).toBe(true);
    expect(proxy.upgrades.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });
});
