import type { SenderClock } from '../../src/scheduler/sender';

/**
 * Time that moves only when someone sleeps: a sender's waits (rate limits, backoff,
 * Retry-After) take no real time, and the test sees exactly how long it was asked to wait.
 */
export class VirtualClock implements SenderClock {
  readonly sleeps: number[] = [];

  constructor(private time = Date.parse('2026-03-10T08:00:00.000Z')) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    // Let other queued work (and real I/O callbacks) run, as a real timer would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
