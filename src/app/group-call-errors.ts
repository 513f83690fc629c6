import type { RemoteRequestError } from '../adapters/bus/bus-errors.js';
import {
  GroupCallFailedError,
  GroupChangeRefusedError,
  GroupNotFoundError,
} from '../adapters/whatsapp/port.js';

const refusedPrefix = /^O WhatsApp recusou a alteração do grupo: /;
const failedPrefix = /^O WhatsApp não respondeu à alteração do grupo: /;

/**
 * A group command's error raised by the driver of the process that runs the session, as it arrives over the bus
 * (its name and message), made the same error again here; any other error stays as it came.
 */
export function groupCallError(error: RemoteRequestError, groupJid: string | null): Error {
  switch (error.remoteName) {
    case 'GroupNotFoundError':
      return groupJid ? new GroupNotFoundError(groupJid) : error;
    case 'GroupChangeRefusedError':
      return new GroupChangeRefusedError(error.message.replace(refusedPrefix, ''));
    case 'GroupCallFailedError':
      return new GroupCallFailedError(error.message.replace(failedPrefix, ''));
    default:
      return error;
  }
}
