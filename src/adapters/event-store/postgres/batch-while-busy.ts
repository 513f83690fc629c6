/**
 * Requests that arrive while a batch is being handled wait, then go together in the next batch: group commit
 * and group read. `take` removes the next batch from the front of the queue; `handle` must settle every
 * request of its batch and not throw.
 */
export function batchWhileBusy<Request>(
  take: (queue: Request[]) => Request[],
  handle: (batch: Request[]) => Promise<void>,
): (request: Request) => void {
  const queue: Request[] = [];
  let busy = false;

  async function drain(): Promise<void> {
    busy = true;
    try {
      while (queue.length > 0) await handle(take(queue));
    } finally {
      busy = false;
    }
  }

  return (request) => {
    queue.push(request);
    if (!busy) void drain();
  };
}
