import { z } from 'zod';

/**
 * Every setting the gateway reads from the environment, validated in one place.
 * README.md's configuration table lists the same variables with the same defaults.
 */
const configSchema = z
  .object({
    /** Folder for the embedded database, browser profiles and generated secrets. */
    DATA_DIR: z.string().min(1).default('./data'),
    /** PostgreSQL server for the event store and read models; unset: embedded PGlite under DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Where events are kept: `postgres` (the database above) or `eventstoredb`. */
    EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
    /** EventStoreDB connection string, required with EVENT_STORE=eventstoredb. */
    EVENTSTORE_URL: z.string().startsWith('esdb').optional(),
    /** pino-style log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((config, ctx) => {
    if (config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTORE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTSTORE_URL'],
        message: 'is required when EVENT_STORE=eventstoredb (for example esdb://localhost:2113?tls=false)',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration; throws ConfigError naming every bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}

export { configSchema };
