import type { RecordedEvent } from '../adapters/event-store/port.js';
import { cliArgs, UsageError } from './cli-args.js';
import { openCliServices } from './open-cli-services.js';
import { runCli } from './run-cli.js';

const usage = 'npm run events -- (--stream <name> | --session <id> | --all) [--follow]';

const line = (event: RecordedEvent) =>
  JSON.stringify({
    position: event.checkpoint,
    stream: event.streamName,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    recordedAt: event.recordedAt.toISOString(),
    metadata: event.metadata,
    data: event.data,
  });

/** Dumps history as JSON lines, for audits: one stream, a session with its chats, or everything; --follow tails it. */
runCli(async () => {
  const args = cliArgs(
    {
      stream: { type: 'string' },
      session: { type: 'string' },
      all: { type: 'boolean' },
      follow: { type: 'boolean' },
    },
    usage,
  );
  const chosen = [args.stream, args.session, args.all].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError(`choose one of --stream, --session or --all\nUsage: ${usage}`);
  const prefixes = args.stream
    ? [args.stream]
    : args.session
      ? [`session-${args.session}`, `chat-${args.session}_`]
      : ['session-', 'chat-'];
  const matches = (event: RecordedEvent) =>
    args.stream ? event.streamName === args.stream : prefixes.some((p) => event.streamName.startsWith(p));
  const { store, close } = await openCliServices();
  try {
    let from: string | undefined;
    for (;;) {
      const page = await store.readAll({ ...(from === undefined ? {} : { from }), maxCount: 1000 });
      for (const event of page) if (matches(event)) process.stdout.write(`${line(event)}\n`);
      if (page.length > 0) from = page.at(-1)!.checkpoint;
      if (page.length < 1000) break;
    }
    if (!args.follow) return;
    const subscription = store.subscribe({
      ...(from === undefined ? {} : { from }),
      filter: { streamPrefixes: prefixes },
      handle: (events) => {
        for (const event of events) if (matches(event)) process.stdout.write(`${line(event)}\n`);
        return Promise.resolve();
      },
    });
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await subscription.stop();
  } finally {
    await close();
  }
});
