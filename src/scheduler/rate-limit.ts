/** At most `max` sends in any `windowMs` milliseconds. */
export type RateWindow = { windowMs: number; max: number };

/** Teams' documented limits per bot per conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
  { windowMs: 3_600_000, max: 1_800 },
];

/** What to plan on per app per tenant (all conversations together). */
export const DEFAULT_TENANT_LIMITS: readonly RateWindow[] = [{ windowMs: 1_000, max: 30 }];

const SWEEP_EVERY = 1_000;

/**
 * A sliding-window log per key (a conversation, a tenant): it remembers when each send started
 * and says how long the next one must wait so that no window ever holds more than its maximum.
 * Exact rather than a token bucket, because Teams counts in sliding windows and a bucket would
 * either overshoot the 2-second window or waste the 1-second one.
 */
export class SlidingWindowLimiter {
  private readonly sends = new Map<string, number[]>();
  private readonly horizonMs: number;
  private recorded = 0;

  /** `marginMs` widens every window: a send's arrival at Teams lags its start by a varying latency. */
  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly marginMs = 0,
  ) {
    this.horizonMs = Math.max(0, ...windows.map((window) => window.windowMs)) + marginMs;
  }

  /** Milliseconds until a send under `key` fits every window (0: now). */
  waitFor(key: string, now: number): number {
    const times = this.recent(key, now);
    let wait = 0;
    for (const { windowMs, max } of this.windows) {
      const span = windowMs + this.marginMs;
      const inWindow = times.filter((time) => time > now - span);
      if (inWindow.length >= max) {
        // The window frees up when its oldest send that still counts slides out.
        const oldestThatCounts = inWindow[inWindow.length - max]!;
        wait = Math.max(wait, oldestThatCounts + span - now);
      }
    }
    return wait;
  }

  record(key: string, now: number): void {
    const times = this.recent(key, now);
    times.push(now);
    this.sends.set(key, times);
    if (++this.recorded % SWEEP_EVERY === 0) this.sweep(now);
  }

  /**
   * Moves a send recorded at `startedAt` to `endedAt`, when its answer came. Teams counts a message
   * when it arrives, which is somewhere between the two; counting it from the answer on keeps a slow
   * post from falling out of a window before Teams' count of it does.
   */
  settle(key: string, startedAt: number, endedAt: number): void {
    const times = this.sends.get(key);
    const index = times?.lastIndexOf(startedAt) ?? -1;
    if (!times || index < 0) return;
    times[index] = Math.max(startedAt, endedAt);
    times.sort((a, b) => a - b);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.sends.get(key) ?? []).filter((time) => time > now - this.horizonMs);
    if (times.length === 0) this.sends.delete(key);
    else this.sends.set(key, times);
    return times;
  }

  /** Forget keys nobody sent to within the longest window, so memory follows the active conversations. */
  private sweep(now: number): void {
    for (const key of [...this.sends.keys()]) this.recent(key, now);
  }
}
