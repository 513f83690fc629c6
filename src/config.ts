import { z } from 'zod';
import { lifetimePattern } from './lifetime.js';

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
    /**
     * With EVENT_STORE=eventstoredb, how long a command's reply waits for the read models to show it (they follow
     * the store by subscription); past it the reply goes out regardless. PostgreSQL projects in the transaction.
     */
    PROJECTION_WAIT_MS: z.coerce.number().int().min(0).default(5000),
    /** pino-style log level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** HTTP port and interface. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** HS256 secret for API tokens; unset (and no JWT_PUBLIC_KEY): one is generated and kept under DATA_DIR. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** PEM public key (RS256 or ES256) of an identity provider whose tokens the API accepts, instead of JWT_SECRET. */
    JWT_PUBLIC_KEY: z
      .string()
      .includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' })
      .optional(),
    /** Longest lifetime (`exp - iat`, and `exp - now`) of a token the API accepts; tokens without `exp` are refused. */
    JWT_MAX_TTL: z
      .string()
      .regex(lifetimePattern, 'must be a number followed by s, m, h or d (e.g. 30d)')
      .default('30d'),
    /** NATS server with JetStream; unset: an in-process bus (one gateway process). */
    NATS_URL: z
      .string()
      .regex(/^(nats|tls):\/\//, 'must start with nats:// or tls://')
      .optional(),
    /** JetStream stream that holds the gateway's events, and its limits. */
    NATS_STREAM: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('ZAPLEDGER'),
    /**
     * First token of every bus subject (`<prefix>.<companyId>.<sessionId>.<EventType>`). A stream owns its
     * subjects: a second NATS_STREAM on the same server needs a prefix of its own.
     */
    NATS_SUBJECT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be one subject token: letters, digits, _ and - (e.g. wa)')
      .default('wa'),
    NATS_STREAM_MAX_AGE_HOURS: z.coerce.number().positive().default(168),
    NATS_STREAM_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 3),
    /** WhatsApp driver: `wppconnect` (Chromium) or `simulator` (tests, demos, benchmarks). */
    WA_DRIVER: z.enum(['wppconnect', 'simulator']).default('wppconnect'),
    /** Chromium for WPPConnect; default: `chromium` on PATH. */
    CHROMIUM_PATH: z.string().min(1).optional(),
    /** WhatsApp Web version to pin, among those bundled with WPPConnect (`2.3000.x`); unset: the current one. */
    WA_WEB_VERSION: z.string().min(1).optional(),
    /** How often running sessions are probed; three missed probes mark a session dead. */
    HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
    /** Most connected sessions a process hands over per heartbeat to a less loaded one; 0 never moves any. */
    SESSION_REBALANCE_STEP: z.coerce.number().int().min(0).max(1000).default(2),
    /** Origins allowed by CORS, comma-separated; unset: no cross-origin access. `*` allows any. */
    CORS_ORIGINS: z.string().optional(),
    /** Bearer token `GET /metrics` asks for; unset: the metrics are open (keep the port private then). */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Requests per minute per token (or per address without one). */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Largest request body accepted, in bytes. */
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** How long a send request waits for WhatsApp before answering 202 (pending). */
    SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    /** Sends per second per session (token bucket); 0 turns pacing off. */
    SEND_RATE_PER_SESSION: z.coerce.number().min(0).default(5),
    /** Sends a session may make at once before the rate applies. */
    SEND_BURST_PER_SESSION: z.coerce.number().int().positive().default(10),
    /** Least time between two sends to the same recipient. */
    SEND_MIN_INTERVAL_PER_CHAT_MS: z.coerce.number().int().min(0).default(0),
    /** Largest media file accepted by send-media (upload or download) or downloaded from an incoming message, in bytes. */
    MEDIA_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
    /** Let send-media download from loopback and private addresses (off: such URLs are refused, against SSRF). */
    MEDIA_URL_ALLOW_PRIVATE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /**
     * Key material for the AES-256-GCM key that seals webhook secrets in the database (they are needed in clear to
     * sign). Unset: the JWT secret in use (JWT_SECRET or the generated one) serves; every process of a cluster
     * must have the same. Changing it makes stored secrets unreadable.
     */
    WEBHOOK_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a webhook receiver has to answer with a 2xx before the attempt counts as failed. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** How long a webhook delivery is retried (exponential backoff with jitter) before it is failed for good. */
    WEBHOOK_RETRY_HOURS: z.coerce.number().positive().default(72),
    /** Upper bound of the wait before the first retry; each later one doubles it, up to one hour. */
    WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().positive().default(4_000),
    /** Let webhooks target loopback, private and link-local addresses (off: refused, against SSRF). */
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** Sessions whose deliveries one process sends to one endpoint at the same time. */
    WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(16),
    /** Longest wait before a process looks for webhook deliveries queued by another process. */
    WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(1_000),
    /**
     * Days a delivered or failed webhook delivery (and the event body it sent) stays in the delivery log; older
     * ones are deleted by one process, in small batches. Pending deliveries are never deleted.
     */
    WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().positive().default(30),
    /**
     * Most WhatsApp facts kept on local disk (DATA_DIR/spool) while the event store is out of reach; past it they
     * wait in memory only, and an error is logged.
     */
    SPOOL_MAX_FACTS: z.coerce.number().int().min(0).default(100_000),
    /**
     * Facts being recorded from which each newly arriving one is also written to the spool at once, so that it
     * survives a crash while the process is behind WhatsApp (0: never).
     */
    SPOOL_BEHIND_FACTS: z.coerce.number().int().min(0).default(1_000),
    /** Attempts before a send that keeps failing transiently fails for good. */
    SEND_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
    /**
     * Ed25519 key that signs audit anchors, the same on every process: PKCS8 PEM or the base64 of the raw 32-byte
     * seed. Unset: one is generated once and kept in the database (see README, "Audit and proof").
     */
    AUDIT_SIGNING_KEY: z.string().min(1).optional(),
    /** How often the heads of the streams that changed are signed into an anchor (one process does it). */
    AUDIT_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
    /** How long this process remembers a number check's answer (0: never), in ms. */
    NUMBER_CHECK_TTL_MS: z.coerce.number().int().min(0).default(60_000),
    /** Mark a chat read on WhatsApp (blue ticks) as each incoming message arrives. */
    AUTO_READ: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** Simulator pacing: milliseconds between QR codes and the delays of the SERVER, DEVICE and READ acks. */
    SIMULATOR_QR_INTERVAL_MS: z.coerce.number().int().positive().default(20_000),
    SIMULATOR_ACK_DELAYS_MS: z
      .string()
      .regex(/^\d+,\d+,\d+$/, 'must be three numbers, e.g. 200,800,2000')
      .default('200,800,2000'),
    /** S3-compatible bucket for kept media files instead of PostgreSQL; unset: PostgreSQL (`media_blobs`). */
    MEDIA_S3_BUCKET: z.string().min(3).max(63).optional(),
    /** The object store's endpoint (MinIO, R2, Ceph …); unset: AWS S3 of MEDIA_S3_REGION. */
    MEDIA_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
    /** Credentials; unset: the AWS SDK's own chain (environment, instance role …). */
    MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Address the bucket in the path (`endpoint/bucket/key`), as MinIO and most self-hosted stores need. */
    MEDIA_S3_FORCE_PATH_STYLE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /**
     * Days a kept incoming file (and profile picture no contact shows any more) is kept; unset: forever. Older
     * files are deleted by one process of the cluster, unless a message newer than that still carries them.
     * Fractions are allowed (tests use seconds).
     */
    MEDIA_RETENTION_DAYS: z.coerce.number().positive().optional(),
    /** How often the retention sweep looks for files past MEDIA_RETENTION_DAYS. */
    MEDIA_RETENTION_INTERVAL_MS: z.coerce.number().int().min(100).default(3_600_000),
    /**
     * Incoming files downloaded and written at once by a process. With PostgreSQL, their chunks are written over a
     * pool of this many connections of their own, so that the messages' commits never wait behind them.
     */
    MEDIA_DOWNLOAD_CONCURRENCY: z.coerce.number().int().positive().default(1),
    /**
     * How long a file saved by send-media may stay unreferenced by any message before one process of the cluster
     * deletes it (a send cut short by a crash between saving its file and recording the send).
     */
    MEDIA_ORPHAN_GRACE_MS: z.coerce.number().int().min(1000).default(86_400_000),
    /**
     * Master key that wraps every contact's data key (crypto-shredding, see README "Privacy: crypto-shredding"),
     * the same on every process: 32 bytes as 64 hex digits or as base64 (44 characters). Unset: contact keys are
     * stored unwrapped. Startup refuses a store whose keys were wrapped otherwise.
     */
    DATA_KEY: z
      .string()
      .refine(
        (value) => /^[0-9a-fA-F]{64}$/.test(value) || Buffer.from(value, 'base64').length === 32,
        'must be 32 bytes: 64 hex digits or 44 base64 characters',
      )
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.JWT_SECRET && config.JWT_PUBLIC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PUBLIC_KEY'],
        message: 'set either JWT_SECRET or JWT_PUBLIC_KEY, not both',
      });
    }
    if (!config.MEDIA_S3_ACCESS_KEY_ID !== !config.MEDIA_S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEDIA_S3_SECRET_ACCESS_KEY'],
        message: 'set both MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY, or neither',
      });
    }
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
