import { Agent, request as undiciRequest } from 'undici';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.js';
import {
  benchToken,
  httpCaller,
  openBenchServices,
  spawnBenchGateway,
  type Call,
} from './support/bench-gateway.js';
import type { BenchResult } from './support/bench-result.js';
import { connectSessions } from './support/connect-sessions.js';
import { sleep } from './support/latency.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const settings = {
  sessions: Number(process.env.BENCH_WEBHOOKS_SESSIONS ?? 10),
  endpoints: Number(process.env.BENCH_WEBHOOKS_ENDPOINTS ?? 10),
  ratePerSecond: Number(process.env.BENCH_WEBHOOKS_RATE ?? 1000),
  seconds: Number(process.env.BENCH_WEBHOOKS_SECONDS ?? 20),
  /**
   * How the contacts' messages reach the gateway: `callbacks`, as WhatsApp's do (the driver's callbacks, in the
   * gateway's process), or `http`, through the simulator's HTTP control from another process.
   */
  intake: process.env.BENCH_WEBHOOKS_INTAKE === 'http' ? 'http' : 'callbacks',
  /** With `http`: simulator calls in flight at most (a message offered while all are busy waits, and that counts). */
  connections: Number(process.env.BENCH_WEBHOOKS_CONNECTIONS ?? 64),
  /** The wait for deliveries once messages stop ends when none arrived for this long. */
  stalledMs: 15_000,
};

/** A gateway the benchmark offers messages to: `offer` resolves true once the gateway took the message. */
interface Intake {
  call: Call;
  offer(sessionId: string, from: string, body: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Contacts write 1,000 messages a second to a gateway with 10 webhooks on a local receiver (a process of its
 * own), each wanting every message: how many messages a second the gateway took of those offered, how long from
 * a message's arrival to its delivery, and whether any delivery is lost or repeated.
 *
 * `p50Ms`/`p99Ms` count from the moment the contact's message is offered (when WhatsApp's fact reaches the
 * gateway): a message the gateway cannot take yet waits, and that wait counts. `storedToDelivery…` count from the
 * event's storage (`occurredAt`, the database's clock, the same machine's) and describe the delivery path alone.
 */
export async function webhooksBench(): Promise<BenchResult> {
  const { sessions, endpoints, ratePerSecond, seconds } = settings;
  const receiver = await startWebhookReceiver();
  const intake = settings.intake === 'http' ? await httpIntake() : await callbackIntake();
  try {
    const ids = await connectSessions(intake.call, sessions);
    for (let endpoint = 0; endpoint < endpoints; endpoint++) {
      const created = await intake.call('POST', '/webhooks', {
        url: `${receiver.url}/hook/${endpoint}`,
        events: ['message'],
      });
      if (created.status !== 201) throw new Error(`POST /webhooks: ${JSON.stringify(created)}`);
    }

    let offered = 0;
    let refused = 0;
    let lastAcceptedAt = 0;
    const inflight = new Set<Promise<void>>();
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const due = Math.round(((performance.now() - started) / 1000) * ratePerSecond);
      while (offered < due) {
        const n = offered++;
        // The text ends with the time it is offered: the receiver measures from there.
        const offer = intake
          .offer(
            ids[n % sessions]!,
            `5511955${String(n % 1000).padStart(6, '0')}`,
            `webhook ${n} ${Date.now()}`,
          )
          .then((accepted) => {
            if (accepted) lastAcceptedAt = performance.now();
            else refused++;
          })
          .finally(() => inflight.delete(offer));
        inflight.add(offer);
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const acceptedFor = Math.max(lastAcceptedAt - started, seconds * 1000);
    const expected = (offered - refused) * endpoints;
    // Deliveries behind the messages catch up after the load: waited for while they keep arriving, so that
    // `lost` counts only what never came.
    const offeringEnded = performance.now();
    let report = await receiver.report();
    let progressAt = performance.now();
    while (report.deliveries < expected && performance.now() - progressAt < settings.stalledMs) {
      await sleep(500);
      const next = await receiver.report();
      if (next.deliveries > report.deliveries) progressAt = performance.now();
      report = next;
    }
    return {
      name: 'webhooks',
      intake: settings.intake,
      sessions,
      endpoints,
      ...(settings.intake === 'http' ? { connections: settings.connections } : {}),
      offeredPerSecond: ratePerSecond,
      acceptedPerSecond: Math.round((offered - refused) / (acceptedFor / 1000)),
      ...report,
      lost: expected - report.deliveries,
      caughtUpAfterMs: Math.round(progressAt - offeringEnded),
      refused,
    };
  } finally {
    await intake.stop();
    await receiver.close();
  }
}

/** The gateway in this process; messages come as the simulated phone's callbacks, as WhatsApp's would. */
async function callbackIntake(): Promise<Intake> {
  const services = await openBenchServices();
  const config = loadConfig({ ...services.env, WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' });
  const gateway = await startGateway(config, { subjectRoot: services.subjectRoot });
  const simulator = gateway.simulator!;
  return {
    call: httpCaller(gateway.url, benchToken()),
    offer: (sessionId, from, body) =>
      simulator.incoming(sessionId, { from, body }).then(
        () => true,
        () => false,
      ),
    async stop() {
      await gateway.stop();
      await services.dispose();
    },
  };
}

/** The gateway in its own process; messages come through the simulator's HTTP control. */
async function httpIntake(): Promise<Intake> {
  const gateway = await spawnBenchGateway({ WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn' });
  const agent = new Agent({ connections: settings.connections });
  return {
    call: gateway.call,
    async offer(sessionId, from, body) {
      const response = await undiciRequest(`${gateway.url}/simulator/sessions/${sessionId}/incoming`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from, body }),
        dispatcher: agent,
      });
      await response.body.dump();
      return response.statusCode === 202;
    },
    async stop() {
      await agent.close();
      await gateway.dispose();
    },
  };
}
