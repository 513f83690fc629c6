import { RemoteRequestError } from '../adapters/bus/bus-errors.js';
import { subjectToken, type Bus, type BusSubscription } from '../adapters/bus/port.js';
import type { JsonValue } from '../adapters/event-store/port.js';
import type { SimulatorControls } from '../adapters/whatsapp/simulator/simulator-driver.js';

/** The controls that act on a running phone, so on the process that runs the session. */
const forwarded = [
  'scan',
  'pair',
  'incoming',
  'disconnect',
  'react',
  'edit',
  'revoke',
  'vote',
  'groupUpdate',
] as const;
type Forwarded = (typeof forwarded)[number];

/** What the simulated phone's process answered with an error; `statusCode` keeps the HTTP answer it gives. */
export class SimulatorRefusedError extends Error {
  override readonly name = 'SimulatorRefusedError';

  constructor(
    readonly remoteName: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

const refusedAsBadInput = new Set(['SimulatedMessageIdError', 'SimulatedPairingCodeError']);
const statusOfRemote = (remoteName: string) => (refusedAsBadInput.has(remoteName) ? 400 : 409);

export interface ClusterSimulatorOptions {
  local: SimulatorControls;
  bus: Bus;
  /** The first token of control subjects: outside the event stream's subjects (requests are not kept). */
  controlRoot: string;
  /** This process's name on the session leases. */
  owner: string;
  /** Which live process runs the session, if any. */
  ownerOf: (sessionId: string) => Promise<string | undefined>;
  timeoutMs?: number;
}

/**
 * The simulator's controls for a cluster: a session's phone lives in the process that runs the session, and a
 * control asked of any other process is carried there over the bus (request and reply), so that tests and demos
 * can talk to any process. `serve` makes this process answer for its own phones.
 */
export function clusterSimulatorControls(options: ClusterSimulatorOptions): SimulatorControls & {
  serve(): Promise<BusSubscription>;
} {
  const { local, bus, controlRoot } = options;
  const subjectOf = (owner: string) => `${controlRoot}.simulator.${subjectToken(owner)}`;

  async function viaOwner(method: Forwarded, sessionId: string, args: JsonValue[]): Promise<JsonValue> {
    const owner = local.isRunning(sessionId) ? undefined : await options.ownerOf(sessionId);
    if (owner === undefined || owner === options.owner) return call(method, sessionId, args);
    try {
      return await bus.request(subjectOf(owner), { method, sessionId, args }, options.timeoutMs ?? 15_000);
    } catch (error) {
      if (error instanceof RemoteRequestError)
        throw new SimulatorRefusedError(error.remoteName, error.message, statusOfRemote(error.remoteName));
      throw error;
    }
  }

  async function call(method: Forwarded, sessionId: string, args: JsonValue[]): Promise<JsonValue> {
    const controls = local as unknown as Record<
      Forwarded,
      (this: void, sessionId: string, ...rest: JsonValue[]) => Promise<JsonValue | void>
    >;
    return (await controls[method](sessionId, ...args)) ?? null;
  }

  return {
    ...local,
    scan: async (sessionId) => void (await viaOwner('scan', sessionId, [])),
    pair: async (sessionId, code) => void (await viaOwner('pair', sessionId, [code])),
    incoming: async (sessionId, message) =>
      (await viaOwner('incoming', sessionId, [message as unknown as JsonValue])) as string,
    disconnect: async (sessionId, reason, disconnectOptions) =>
      void (await viaOwner('disconnect', sessionId, [reason, disconnectOptions ?? {}])),
    react: async (sessionId, input) => (await viaOwner('react', sessionId, [input])) as string,
    edit: async (sessionId, input) => void (await viaOwner('edit', sessionId, [input])),
    revoke: async (sessionId, input) => void (await viaOwner('revoke', sessionId, [input])),
    vote: async (sessionId, input) => void (await viaOwner('vote', sessionId, [input])),
    groupUpdate: async (sessionId, input) => void (await viaOwner('groupUpdate', sessionId, [input])),

    serve() {
      return bus.serve(subjectOf(options.owner), async (request) => {
        const { method, sessionId, args } = request as {
          method: Forwarded;
          sessionId: string;
          args: JsonValue[];
        };
        if (!forwarded.includes(method))
          throw new RangeError(`No simulator control is called ${String(method)}`);
        return call(method, sessionId, args);
      });
    },
  };
}
