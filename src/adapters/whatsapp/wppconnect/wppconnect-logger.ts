import type { CreateOptions } from '@wppconnect-team/wppconnect';
import type { Logger } from '../../../logger.js';
import { isFields } from './wpp-values.js';

type WinstonLogger = NonNullable<CreateOptions['logger']>;
type Level = 'error' | 'warn' | 'other';

/**
 * WPPConnect logs through winston, chattily, to the console. This stand-in keeps its errors and warnings
 * (as warnings and infos: WPPConnect calls many recoverable things errors) and drops the rest.
 */
export function wppconnectLogger(logger: Logger, sessionId: string): WinstonLogger {
  const write = (level: Level, message: unknown, meta?: unknown) => {
    if (level === 'other') return;
    const details = { sessionId, wppconnect: isFields(meta) ? meta : undefined };
    const text = message instanceof Error ? message.message : String(message);
    if (level === 'error')
      logger.warn(message instanceof Error ? { ...details, err: message } : details, `WPPConnect: ${text}`);
    else logger.info(details, `WPPConnect: ${text}`);
  };
  const levelOf = (level: unknown): Level => (level === 'error' || level === 'warn' ? level : 'other');
  const bridge = {
    log(entry: unknown) {
      if (isFields(entry)) write(levelOf(entry['level']), entry['message'], entry);
    },
    error: (message: unknown, meta?: unknown) => write('error', message, meta),
    warn: (message: unknown, meta?: unknown) => write('warn', message, meta),
    info: () => undefined,
    http: () => undefined,
    verbose: () => undefined,
    debug: () => undefined,
  };
  // WPPConnect only calls these methods; building a real winston logger would mean depending on winston.
  return bridge as unknown as WinstonLogger;
}
