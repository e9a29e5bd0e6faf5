import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import type { ConversationAddress } from '../../src/store/conversation-address';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS, type RateWindow } from '../../src/scheduler/rate-limit';
import { Sender, type SenderClock } from '../../src/scheduler/sender';
import { captureLog } from '../support/capture-log';
import { FakeConnector } from '../support/fake-connector';
import { HttpConversationPort } from '../support/http-conversation-port';
import { VirtualClock } from '../support/virtual-clock';

const message = (text: string) => ({ type: 'message' as const, text });

function channel(serviceUrl: string, conversationId = '19:tverrfaglig@thread.tacv2', tenantId = 'tenant-1'): ConversationAddress {
  return { kind: 'channel', serviceUrl, conversationId, channelId: conversationId, tenantId };
}

/** The largest number of timestamps that fall in any window of `windowMs` (half-open). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j += 1) {
    while (sorted[j]! - sorted[i]! >= windowMs) i += 1;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('the sender', () => {
  let connector: FakeConnector;
  let port: HttpConversationPort;
  let clock: VirtualClock;

  beforeEach(async () => {
    connector = await new FakeConnector().start();
    port = new HttpConversationPort();
    clock = new VirtualClock();
  });
  afterEach(async () => {
    sinon.restore();
    await connector.stop();
  });

  it('waits as long as Retry-After says after a 429, then posts the message once', async () => {
    let answered429 = false;
    connector.behaviour = () => {
      if (answered429) return undefined;
      answered429 = true;
      return { status: 429, headers: { 'retry-after': '3' } };
    };
    const sender = new Sender(port, { clock, random: () => 0.5 });

    const result = await sender.send(channel(connector.url), message('Innkalling'));

    assert.equal(result.kind, 'sent');
    assert.equal(result.attempts, 2);
    assert.deepEqual(clock.sleeps, [3_000]);
    assert.equal(connector.calls.length, 1);
    assert.equal(connector.calls[0]!.activity.text, 'Innkalling');
  });

  it('gives up after 5 consecutive 502s with a failure that is logged and says why', async () => {
    connector.behaviour = () => ({ status: 502 });
    const { log, lines } = captureLog();
    const sender = new Sender(port, { clock, log, random: () => 0.5 });

    const result = await sender.send(channel(connector.url), message('Saksliste'), { correlationId: 'job-1' });

    // `Fake` is the error code in the fake connector's body, as Teams would name its own.
    assert.deepEqual(result, { kind: 'failed', reason: 'gave up after 5 attempts: HTTP 502 Fake', status: 502, attempts: 5 });
    assert.equal(port.started.length, 5);
    // Exponential backoff with full jitter (random fixed at 0.5): half of 1, 2, 4 and 8 seconds.
    assert.deepEqual(clock.sleeps, [500, 1_000, 2_000, 4_000]);
    const failure = lines.find((line) => line.msg === 'post failed');
    assert.ok(failure, 'a failure line is logged');
    assert.equal(failure.level, 50);
    assert.equal(failure.correlationId, 'job-1');
    assert.equal(failure.reason, 'gave up after 5 attempts: HTTP 502 Fake');
  });

  it('retries 412 and 504 like 502, and stops at once on other errors', async () => {
    const statuses = [412, 504];
    connector.behaviour = () => {
      const status = statuses.shift();
      return status ? { status } : undefined;
    };
    const sender = new Sender(port, { clock, random: () => 0 });
    assert.equal((await sender.send(channel(connector.url), message('a'))).kind, 'sent');
    assert.equal(port.started.length, 3);

    connector.behaviour = () => ({ status: 400, body: { error: { code: 'BadArgument' } } });
    const result = await sender.send(channel(connector.url), message('b'));
    assert.deepEqual(result, { kind: 'failed', reason: 'not retryable: HTTP 400 BadArgument', status: 400, attempts: 1 });
  });

  it('answers 403 BotNotInConversationRoster with not-in-roster and does not retry', async () => {
    connector.behaviour = () => ({
      status: 403,
      body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } },
    });
    const sender = new Sender(port, { clock });

    const result = await sender.send(channel(connector.url), message('Saksliste'));

    assert.deepEqual(result, { kind: 'not-in-roster', attempts: 1 });
    assert.equal(port.started.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('treats a timeout as an unknown outcome and never posts the message again', async () => {
    // A connector that takes the request and never answers: it may well have delivered it.
    let received = 0;
    const silent: Server = createServer(() => {
      received += 1;
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      const sender = new Sender(port, { clock, attemptTimeoutMs: 200 });

      const result = await sender.send(channel(url), message('Referat'));

      assert.equal(result.kind, 'unknown');
      assert.equal(result.attempts, 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(received, 1);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('retries when the connection is refused, since nothing can have been delivered', async () => {
    const closed = await new FakeConnector().start();
    const url = closed.url;
    await closed.stop();
    const sender = new Sender(port, { clock, random: () => 0, maxAttempts: 3 });

    const result = await sender.send(channel(url), message('x'));

    assert.equal(result.kind, 'failed');
    assert.equal(result.attempts, 3);
  });

  it('defers, posting nothing, when the next attempt could not finish within the budget', async () => {
    connector.behaviour = () => ({ status: 429, headers: { 'retry-after': '60' } });
    const sender = new Sender(port, { clock, attemptTimeoutMs: 1_000 });

    const result = await sender.send(channel(connector.url), message('x'), { budgetMs: 30_000 });

    assert.equal(result.kind, 'deferred');
    assert.equal(port.started.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  describe('rate limits, measured on the times the fake connector received the posts', () => {
    /** Date (and so the connector's receivedAt) moves only when the sender sleeps. */
    function fakeDate(): SenderClock {
      const timers = sinon.useFakeTimers({ now: Date.parse('2026-03-10T08:00:00.000Z'), toFake: ['Date'] });
      return {
        now: () => Date.now(),
        sleep: async (ms) => {
          timers.tick(ms);
          await new Promise((resolve) => setImmediate(resolve));
        },
      };
    }

    it('never sends more than 7 in a second, 8 in two seconds or 60 in 30 seconds to one conversation under a burst of 100', async () => {
      const sender = new Sender(port, { clock: fakeDate(), limitMarginMs: 0 });
      const address = channel(connector.url);

      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => sender.send(address, message(`melding ${i}`))));

      assert.ok(results.every((result) => result.kind === 'sent'));
      const times = connector.calls.map((call) => call.receivedAt);
      assert.equal(times.length, 100);
      assert.equal(busiestWindow(times, 1_000), 7);
      assert.equal(busiestWindow(times, 2_000), 8);
      assert.equal(busiestWindow(times, 30_000), 60);
      // In order, one at a time: the queue per conversation keeps the sequence the jobs asked for.
      assert.deepEqual(
        connector.calls.map((call) => call.activity.text),
        Array.from({ length: 100 }, (_, i) => `melding ${i}`),
      );
      // And no slower than the limits require: 60 in the first 30 s, the rest from second 30 on.
      const elapsed = times[99]! - times[0]!;
      assert.ok(elapsed >= 30_000 && elapsed < 40_000, `took ${elapsed} ms of virtual time`);
    });
  });

  it('holds all conversations of a tenant to 30 per second together, and each to its own limits', async () => {
    // Many queues sleep at once here, so time must be a real (fake) timeline: sinon runs every timer in order.
    const timers = sinon.useFakeTimers({ now: Date.parse('2026-03-10T08:00:00.000Z') });
    const posted: { conversationId: string; at: number }[] = [];
    const memoryPort = {
      post: async (address: ConversationAddress) => {
        posted.push({ conversationId: address.conversationId, at: Date.now() });
        return { activityId: String(posted.length) };
      },
    };
    const sender = new Sender(memoryPort, { limitMarginMs: 0 });
    const sends = Array.from({ length: 12 }, (_, c) =>
      Array.from({ length: 10 }, (_, i) =>
        sender.send(channel('https://smba.example/', `19:kanal-${c}@thread.tacv2`), message(`${c}-${i}`)),
      ),
    ).flat();

    const all = Promise.all(sends);
    await timers.runAllAsync();
    const results = await all;

    assert.ok(results.every((result) => result.kind === 'sent'));
    assert.equal(
      busiestWindow(
        posted.map((post) => post.at),
        1_000,
      ),
      30,
    );
    for (let c = 0; c < 12; c += 1) {
      const times = posted.filter((post) => post.conversationId === `19:kanal-${c}@thread.tacv2`).map((post) => post.at);
      assert.ok(busiestWindow(times, 1_000) <= 7 && busiestWindow(times, 2_000) <= 8);
    }
  });

  it('the sliding window lets the next send through exactly when the oldest one that counts slides out', () => {
    const windows: RateWindow[] = [{ windowMs: 1_000, max: 2 }];
    const limiter = new SlidingWindowLimiter(windows);
    limiter.record('c', 0);
    limiter.record('c', 400);
    assert.equal(limiter.waitFor('c', 500), 500);
    assert.equal(limiter.waitFor('c', 1_000), 0);
    assert.equal(limiter.waitFor('other', 500), 0);
    assert.equal(new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS).waitFor('c', 0), 0);
  });
});
