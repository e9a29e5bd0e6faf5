import type { Logger } from '../log';
import type { ConversationAddress } from '../store/conversation-address';
import { PostFailure, type ConversationPort, type OutboundActivity } from './conversation-port';
import { DEFAULT_TENANT_LIMITS, SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS, type RateWindow } from './rate-limit';

/**
 * What became of one message. `failed`, `not-in-roster` and `unknown` are final for this message;
 * `deferred` means nothing was delivered and the caller may try again later.
 */
export type SendResult =
  | { kind: 'sent'; activityId?: string; attempts: number }
  | { kind: 'failed'; reason: string; status?: number; attempts: number }
  /** 403 BotNotInConversationRoster: the bot was removed from the team or chat; retrying cannot help. */
  | { kind: 'not-in-roster'; attempts: number }
  /** The post may or may not have arrived (a timeout): never re-posted blindly. */
  | { kind: 'unknown'; reason: string; attempts: number }
  /** The next attempt could not finish within the caller's budget (its claim); nothing was delivered. */
  | { kind: 'deferred'; reason: string; attempts: number };

export type SenderClock = { now(): number; sleep(ms: number): Promise<void> };

export const systemClock: SenderClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type SenderOptions = {
  log?: Logger;
  clock?: SenderClock;
  /** [0, 1): the jitter source; injectable so tests are deterministic. */
  random?: () => number;
  /** Attempts per message, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** One attempt without an answer for this long has an unknown outcome. */
  attemptTimeoutMs?: number;
  conversationLimits?: readonly RateWindow[];
  tenantLimits?: readonly RateWindow[];
  /** Slack added to every rate window for network latency between our start and Teams' count. */
  limitMarginMs?: number;
};

/** Statuses Microsoft documents as transient for the Bot Connector. */
const RETRYABLE_STATUS = new Set([412, 429, 502, 504]);
const NOT_IN_ROSTER = 'BotNotInConversationRoster';

/**
 * Posts messages through the port: one queue per conversation (messages to a conversation go
 * out in order, one at a time), Teams' sliding-window limits per conversation and per tenant,
 * and retries of transient failures with exponential backoff and full jitter, honouring
 * Retry-After. It never retries a post whose outcome is unknown.
 */
export class Sender {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly conversations: SlidingWindowLimiter;
  private readonly tenants: SlidingWindowLimiter;
  private readonly clock: SenderClock;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly attemptTimeoutMs: number;

  constructor(
    private readonly port: ConversationPort,
    private readonly options: SenderOptions = {},
  ) {
    const margin = options.limitMarginMs ?? 50;
    this.conversations = new SlidingWindowLimiter(options.conversationLimits ?? TEAMS_CONVERSATION_LIMITS, margin);
    this.tenants = new SlidingWindowLimiter(options.tenantLimits ?? DEFAULT_TENANT_LIMITS, margin);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.backoffCapMs = options.backoffCapMs ?? 30_000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 15_000;
  }

  /**
   * Queues the message behind earlier ones to the same conversation and delivers it.
   * `budgetMs` bounds the whole send, waiting in the queue included: no attempt starts that
   * could still be running when the budget is over (the caller's claim on the job).
   */
  send(
    address: ConversationAddress,
    activity: OutboundActivity,
    options: {
      budgetMs?: number;
      correlationId?: string;
      /**
       * Called once, when the first attempt is about to start (its turn in the queue and its rate-limit
       * slot taken): the caller records that a post may now leave. Answering false withdraws the message
       * (`deferred`, nothing sent). Until then nothing has left, whatever happens to the process.
       */
      beforeFirstAttempt?: () => Promise<boolean>;
    } = {},
  ): Promise<SendResult> {
    const deadline = this.clock.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
    const key = conversationKey(address);
    const delivery = (this.queues.get(key) ?? Promise.resolve()).then(() =>
      this.deliver(address, activity, deadline, options.correlationId, options.beforeFirstAttempt),
    );
    const tail = delivery.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return delivery;
  }

  private async deliver(
    address: ConversationAddress,
    activity: OutboundActivity,
    deadline: number,
    correlationId: string | undefined,
    beforeFirstAttempt?: () => Promise<boolean>,
  ): Promise<SendResult> {
    const log = this.options.log?.child({ correlationId, conversationId: address.conversationId });
    const conversation = conversationKey(address);
    const tenant = address.tenantId ?? '';
    for (let attempt = 1; ; attempt += 1) {
      const slot = await this.waitForSlot(conversation, tenant, deadline);
      if (slot === undefined) return this.deferred(log, attempt - 1, 'the rate limit leaves no room within the budget');
      if (attempt === 1 && beforeFirstAttempt && !(await beforeFirstAttempt())) {
        return this.deferred(log, 0, 'withdrawn by the caller before the first attempt');
      }

      let failure: PostFailure;
      try {
        const { activityId } = await this.attempt(address, activity);
        return { kind: 'sent', activityId, attempts: attempt };
      } catch (error) {
        failure = error instanceof PostFailure ? error : new PostFailure('timeout', { message: `port threw: ${String(error)}` });
      } finally {
        this.conversations.settle(conversation, slot, this.clock.now());
        this.tenants.settle(tenant, slot, this.clock.now());
      }

      if (failure.kind === 'timeout') {
        log?.warn({ attempts: attempt, reason: failure.message }, 'post outcome unknown; not re-posting');
        return { kind: 'unknown', reason: failure.message, attempts: attempt };
      }
      if (failure.status === 403 && failure.code === NOT_IN_ROSTER) {
        log?.warn({ attempts: attempt }, 'bot is not in the conversation roster');
        return { kind: 'not-in-roster', attempts: attempt };
      }
      const retryable = failure.kind === 'network' || (failure.status !== undefined && RETRYABLE_STATUS.has(failure.status));
      if (!retryable || attempt >= this.maxAttempts) {
        const reason = retryable ? `gave up after ${attempt} attempts: ${failure.message}` : `not retryable: ${failure.message}`;
        log?.error({ attempts: attempt, status: failure.status, reason }, 'post failed');
        return { kind: 'failed', reason, status: failure.status, attempts: attempt };
      }
      const delay = failure.retryAfterMs ?? this.backoff(attempt);
      if (this.clock.now() + delay + this.attemptTimeoutMs > deadline) {
        return this.deferred(log, attempt, `retry after ${failure.message} would outlast the budget`);
      }
      log?.info({ attempts: attempt, status: failure.status, delayMs: delay }, 'transient post failure; retrying');
      await this.clock.sleep(delay);
    }
  }

  /**
   * Waits until both the conversation's and the tenant's windows have room, then takes the slot;
   * returns the instant it was taken (undefined: not within the budget). The slot is moved to the
   * answer's instant once the attempt ends (SlidingWindowLimiter.settle).
   */
  private async waitForSlot(conversation: string, tenant: string, deadline: number): Promise<number | undefined> {
    for (;;) {
      const now = this.clock.now();
      const wait = Math.max(this.conversations.waitFor(conversation, now), this.tenants.waitFor(tenant, now));
      if (now + wait + this.attemptTimeoutMs > deadline) return undefined;
      if (wait === 0) {
        // Checked and recorded in one synchronous step, so concurrent queues cannot both take the last slot.
        this.conversations.record(conversation, now);
        this.tenants.record(tenant, now);
        return now;
      }
      await this.clock.sleep(wait);
    }
  }

  private async attempt(address: ConversationAddress, activity: OutboundActivity): Promise<{ activityId?: string }> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new PostFailure('timeout', { message: `no answer within ${this.attemptTimeoutMs} ms` }));
      }, this.attemptTimeoutMs);
    });
    try {
      // The race also covers a port that ignores the abort signal.
      return await Promise.race([this.port.post(address, activity, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exponential backoff with full jitter: uniform in [0, min(cap, base · 2^(attempt−1))). */
  private backoff(attempt: number): number {
    return Math.floor(this.random() * Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (attempt - 1)));
  }

  private deferred(log: Logger | undefined, attempts: number, reason: string): SendResult {
    log?.info({ attempts, reason }, 'post deferred');
    return { kind: 'deferred', reason, attempts };
  }
}

function conversationKey(address: ConversationAddress): string {
  return `${address.serviceUrl}|${address.conversationId}`;
}
