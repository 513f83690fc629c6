import { MediaUnavailableError } from '../port.js';

/** How many files a simulated phone keeps for download; the oldest go first, as expired media do. */
const keptFiles = 1000;

/** The files of the messages a simulated phone received, downloadable as from WhatsApp's servers. */
export class SimulatedFiles {
  private readonly files = new Map<string, Buffer>();

  keep(waMessageId: string, data: Buffer): void {
    if (this.files.size >= keptFiles) this.files.delete(this.files.keys().next().value!);
    this.files.set(waMessageId, data);
  }

  download(waMessageId: string): Buffer {
    const data = this.files.get(waMessageId);
    if (!data) throw new MediaUnavailableError(waMessageId, 'the file is no longer on WhatsApp');
    return data;
  }
}
