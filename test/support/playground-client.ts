import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelTraffic } from './fake-connector';
import { textOf } from './laget';
import { executeAction, submitValue, type ButtonChoice, type CardJson } from './playground-card';

/**
 * One person's side of the Microsoft 365 Agents Playground (0.2.x), driven through the HTTP and
 * websocket API its own web UI uses (see /tmp/playground-notes.md when it exists):
 *  - the personal chat, the signed-in person, the bot and the team come from GET /_internal/v1/config;
 *  - what the bot sends arrives only on the websocket /_ws_conversation/v1/conversations/stream,
 *    which buffers while nobody listens and then flushes to the next client, so connect first;
 *  - typed text goes to POST /_conversation/v1/conversations/{id}/messages, a button press to
 *    POST /_conversation/v1/submit with the value the UI would send (see playground-card.ts);
 *  - an Action.Execute button is POST /_conversation/v1/invoke: the bot's card comes back in the
 *    HTTP response (the UI swaps it in place; no websocket frame);
 *  - opening the page makes the UI "install" the bot in the personal chat (installationUpdate +
 *    conversationUpdate): POST /_debug/conversation/{id}/installation. Opening a channel does the
 *    same for the channel (`channel()` below).
 *
 * The websocket is Node's built-in client (global from Node 22; Node 20 needs the
 * --experimental-websocket flag, which .mocharc.json passes), so no dependency is added.
 */

/** A card or text the bot sent, in arrival order. */
export type BotMessage = {
  seq: number;
  messageId: string;
  action: string;
  text: string;
  card?: CardJson;
  /**
   * Where a reply or a button press on this message goes: the personal chat, or in a channel the
   * thread (`<channel>;messageid=<root>`) the message is in or starts.
   */
  conversationId: string;
  /** True when the message started a new post (thread) in a channel. */
  startsThread: boolean;
};
export type ReceivedCard = BotMessage & { card: CardJson };

type StreamFrame = {
  action?: string;
  actionConversationId?: string;
  message?: {
    messageId?: string;
    text?: string;
    postConversationId?: string;
    attachments?: Array<{ contentType?: string; content?: unknown }>;
  };
};

type PlaygroundConfig = {
  currentUser: { id: string };
  personalChat: { id: string };
  bot: { id: string; name: string };
  teams?: Array<{ id: string; name: string; channels?: Array<{ id: string; name: string }> }>;
};

/** The part of the WHATWG WebSocket this client uses. */
type WebSocketLike = {
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
};
type WebSocketConstructor = new (url: string) => WebSocketLike;

function builtInWebSocket(): WebSocketConstructor {
  const constructor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!constructor) {
    throw new Error(
      'Node has no global WebSocket: use Node 22+, or run Node 20 with --experimental-websocket (.mocharc.json "node-option")',
    );
  }
  return constructor;
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export class PlaygroundClient {
  private readonly received: BotMessage[] = [];
  private readonly listeners = new Set<() => void>();
  private closedBecause: string | undefined;
  private socket: WebSocketLike | undefined;
  private artifactCount = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly config: PlaygroundConfig,
    private readonly artifactsDir: string | undefined,
  ) {}

  /** The signed-in person's Teams id (29:…). */
  get userId(): string {
    return this.config.currentUser.id;
  }

  get personalChatId(): string {
    return this.config.personalChat.id;
  }

  /** Reads who is signed in and opens the websocket before anything is sent, so no reply is missed. */
  static async connect(url: string, options: { artifactsDir?: string } = {}): Promise<PlaygroundClient> {
    // The Playground listens on every interface; 127.0.0.1 avoids depending on how "localhost" resolves.
    const baseUrl = url.replace('//localhost:', '//127.0.0.1:').replace(/\/$/, '');
    const response = await fetch(`${baseUrl}/_internal/v1/config`);
    assert.equal(response.status, 200, `GET /_internal/v1/config answered ${response.status}`);
    const { config } = (await response.json()) as { config: PlaygroundConfig };
    const client = new PlaygroundClient(baseUrl, config, options.artifactsDir);
    if (options.artifactsDir) mkdirSync(options.artifactsDir, { recursive: true });
    await client.open();
    return client;
  }

  private open(): Promise<void> {
    const WebSocket = builtInWebSocket();
    const socket = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`);
    this.socket = socket;
    socket.addEventListener('message', (event) => this.onFrame(String(event.data)));
    socket.addEventListener('close', () => this.fail('the Playground closed the websocket'));
    return new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => {
        this.fail('websocket error');
        reject(new Error(`could not open the Playground websocket at ${this.baseUrl}`));
      });
    });
  }

  close(): void {
    this.closedBecause ??= 'closed by the test';
    this.socket?.close();
  }

  /** What the UI does when the page opens: the bot is installed in the personal chat. */
  async install(): Promise<void> {
    await this.post(`/_debug/conversation/${encodeURIComponent(this.personalChatId)}/installation`, {});
  }

  async say(text: string): Promise<void> {
    await this.post(`/_conversation/v1/conversations/${encodeURIComponent(this.personalChatId)}/messages`, {
      from: { id: this.userId },
      text,
      textFormat: 'plain',
    });
  }

  /**
   * Presses an Action.Submit button on a card the bot sent, with these inputs filled in. The press
   * goes to the card's own conversation: the personal chat, or the channel thread it is in.
   */
  async press(card: ReceivedCard, button: ButtonChoice, typed: Record<string, string> = {}): Promise<void> {
    await this.post('/_conversation/v1/submit', {
      conversation: { id: card.conversationId },
      replyToId: card.messageId,
      value: submitValue(card.card, button, typed),
      from: { id: this.userId },
    });
  }

  /**
   * Presses an Action.Execute (Universal Actions) button: POST /_conversation/v1/invoke, as the
   * UI does. The bot's answer is the card in the HTTP response, which the UI puts in place of the
   * pressed one; it is returned (and saved) as that message's new card.
   */
  async execute(card: ReceivedCard, button: ButtonChoice, typed: Record<string, string> = {}): Promise<ReceivedCard> {
    const { answer, body, title } = await this.invoke(card, button, typed);
    assert.equal(answer.type, ADAPTIVE_CARD, `the bot answered "${title}" with ${body.slice(0, 500)}`);
    const replaced: ReceivedCard = {
      seq: card.seq,
      messageId: card.messageId,
      action: 'invokeResponse',
      text: textOf(answer.value),
      card: answer.value as CardJson,
      conversationId: card.conversationId,
      startsThread: card.startsThread,
    };
    this.saveArtifact(replaced, 'svar');
    return replaced;
  }

  /**
   * Presses an Action.Execute button the bot answers with a message for the presser alone (not a
   * card): the text the UI shows them, and nothing in the conversation.
   */
  async executeForText(card: ReceivedCard, button: ButtonChoice, typed: Record<string, string> = {}): Promise<string> {
    const { answer, body, title } = await this.invoke(card, button, typed);
    assert.equal(answer.type, 'application/vnd.microsoft.activity.message', `the bot answered "${title}" with ${body.slice(0, 500)}`);
    return String(answer.value);
  }

  private async invoke(card: ReceivedCard, button: ButtonChoice, typed: Record<string, string>) {
    const action = executeAction(card.card, button, typed);
    const path = '/_conversation/v1/invoke';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'adaptiveCard/action',
        conversation: { id: card.conversationId },
        replyToId: card.messageId,
        from: { id: this.userId },
        value: { action },
      }),
    });
    const body = await response.text();
    assert.equal(response.status, 200, `POST ${path} answered ${response.status}: ${body}`);
    return { answer: JSON.parse(body) as { type?: string; value?: unknown }, body, title: action.title };
  }

  /**
   * Does `action` (say, press, install) and waits for the first card after it in the personal chat
   * whose visible text matches `expected`. Anything else the bot sends meanwhile (a reminder, a
   * text) is kept and shown if the wait times out.
   */
  async expectCard(action: () => Promise<void>, expected: RegExp, timeoutMs = 15_000): Promise<ReceivedCard> {
    return this.expectMessage(
      action,
      (message): message is ReceivedCard =>
        message.conversationId === this.personalChatId && message.card !== undefined && expected.test(message.text),
      `a card matching ${expected} in the personal chat`,
      timeoutMs,
    );
  }

  /** Like expectCard, for a plain text message in the personal chat. */
  async expectText(action: () => Promise<void>, expected: RegExp, timeoutMs = 15_000): Promise<BotMessage> {
    return this.expectMessage(
      action,
      (message): message is BotMessage =>
        message.conversationId === this.personalChatId && message.card === undefined && expected.test(message.text),
      `a text matching ${expected} in the personal chat`,
      timeoutMs,
    );
  }

  /**
   * Does `action` and waits for the first message after it that `matches`. The low-level wait the
   * personal chat and channels share.
   */
  async expectMessage<T extends BotMessage>(
    action: () => Promise<unknown>,
    matches: (message: BotMessage) => message is T,
    what: string,
    timeoutMs = 15_000,
  ): Promise<T> {
    const from = this.received.length;
    await action();
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = this.received.slice(from).find(matches);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.closedBecause) {
          done();
          reject(new Error(`no ${what}: ${this.closedBecause}. ${this.describeSince(from)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms. ${this.describeSince(from)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Everything the bot has sent into this Playground so far (any conversation), in order. */
  messages(): readonly BotMessage[] {
    return this.received;
  }

  /**
   * A channel of the Playground's team, as the person sees it after opening it: by its name (the
   * first channel that is not General when no name is given).
   */
  channel(name?: string): PlaygroundChannel {
    const team = this.config.teams?.[0];
    assert.ok(team, 'the Playground has no team');
    const channels = team.channels ?? [];
    const channel = name === undefined ? channels.find((c) => c.id !== team.id) : channels.find((c) => c.name === name);
    assert.ok(
      channel,
      `the team "${team.name}" has no channel ${name ?? '(besides General)'}; it has: ${channels.map((c) => c.name).join(', ')}`,
    );
    return new PlaygroundChannel(this, team.id, channel.id, channel.name, this.config.bot);
  }

  /** @internal: for PlaygroundChannel. */
  async postJson<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, 200, `POST ${path} answered ${response.status}: ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  private describeSince(from: number): string {
    const since = this.received.slice(from);
    if (since.length === 0) return 'The bot sent nothing.';
    const where = (m: BotMessage) => (m.conversationId === this.personalChatId ? 'chat' : m.conversationId);
    return `The bot sent instead:\n${since.map((m) => `  [${where(m)}] [${m.card ? 'card' : 'text'}] ${m.text.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}`;
  }

  private onFrame(data: string): void {
    const frame = JSON.parse(data) as StreamFrame;
    const message = frame.message;
    // Typing indicators carry no message.
    if (!message || typeof frame.actionConversationId !== 'string') return;
    const card = message.attachments?.find((a) => a.contentType === ADAPTIVE_CARD)?.content as CardJson | undefined;
    const received: BotMessage = {
      seq: this.received.length + 1,
      messageId: String(message.messageId),
      action: String(frame.action),
      text: card ? textOf(card) : (message.text ?? ''),
      card,
      // A message that starts a channel post names the thread it opened; replies carry the thread id.
      conversationId: message.postConversationId ?? frame.actionConversationId,
      startsThread: message.postConversationId !== undefined,
    };
    this.received.push(received);
    if (received.conversationId !== this.personalChatId) {
      // Channel and group posts join the fake connectors' for the channel-privacy check of the whole run.
      channelTraffic.push({
        method: 'PLAYGROUND',
        path: `${this.baseUrl} ${received.action}`,
        conversationId: received.conversationId,
        activity: message,
        receivedAt: Date.now(),
      });
    }
    if (card) this.saveArtifact(received, received.conversationId === this.personalChatId ? undefined : 'kanal');
    this.listeners.forEach((listener) => listener());
  }

  /** Each card as JSON under test-artifacts/, so a person can see what the bot really sent. */
  private saveArtifact(message: BotMessage, kind?: string): void {
    if (!this.artifactsDir) return;
    this.artifactCount += 1;
    const heading = message.text.split('\n')[0] ?? '';
    const slug = heading
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 40);
    const name = `${String(this.artifactCount).padStart(2, '0')}-${kind ? `${kind}-` : ''}${slug || 'card'}.json`;
    const where = message.conversationId === this.personalChatId ? {} : { conversationId: message.conversationId };
    // Again on every card: another run of the same test may have cleared the folder meanwhile.
    mkdirSync(this.artifactsDir, { recursive: true });
    writeFileSync(
      join(this.artifactsDir, name),
      `${JSON.stringify({ messageId: message.messageId, action: message.action, ...where, card: message.card }, null, 2)}\n`,
    );
  }

  private fail(reason: string): void {
    this.closedBecause ??= reason;
    this.listeners.forEach((listener) => listener());
  }

  private async post(path: string, body: unknown): Promise<void> {
    await this.postJson(path, body);
  }
}

/** Where a channel wait looks: one thread (its id, or a function for one known only after the action), or new threads. */
export type ChannelWait = { inThread?: string | (() => string); newThread?: boolean; timeoutMs?: number };

/**
 * A team channel in the person's Playground. In Teams every channel message is a post that starts
 * a thread (`<channel>;messageid=<root>`); Laget answers in that thread, and posts its rhythm (call
 * for cases, agenda, minutes) as new threads of its own. The Playground only forwards a channel
 * message to the bot when it @mentions it, as Teams does.
 *
 * Each Playground has its own copy of the team: a post made in Kari's Playground is not seen in
 * Per's, and Laget's proactive posts go to the Playground whose channel it was installed in.
 */
export class PlaygroundChannel {
  constructor(
    private readonly client: PlaygroundClient,
    readonly teamId: string,
    readonly channelId: string,
    readonly name: string,
    private readonly bot: { id: string; name: string },
  ) {}

  /** What the UI does when the person opens the channel: the bot is installed in the team, from this channel. */
  async install(): Promise<void> {
    await this.client.postJson(`/_debug/conversation/${encodeURIComponent(this.channelId)}/installation`, {});
  }

  /** A new post in the channel that @mentions the bot ("@Laget sett opp team"); resolves with its thread id. */
  async post(text: string): Promise<string> {
    const answer = await this.client.postJson<{ postConversationId?: string }>(
      `/_conversation/v1/conversations/${encodeURIComponent(this.channelId)}/messages`,
      this.mentioning(text),
    );
    assert.ok(answer.postConversationId, `the Playground started no thread for "${text}": ${JSON.stringify(answer)}`);
    return answer.postConversationId;
  }

  /** A reply in a thread of this channel, @mentioning the bot. */
  async reply(threadId: string, text: string): Promise<void> {
    assert.ok(this.owns(threadId), `${threadId} is not a thread of ${this.channelId}`);
    await this.client.postJson(`/_conversation/v1/conversations/${encodeURIComponent(threadId)}/messages`, this.mentioning(text));
  }

  /** Presses an Action.Submit button on a card in this channel (the press goes to the card's thread). */
  async press(card: ReceivedCard, button: ButtonChoice, typed: Record<string, string> = {}): Promise<void> {
    assert.ok(this.owns(card.conversationId), `the card is not in ${this.name} but in ${card.conversationId}`);
    await this.client.press(card, button, typed);
  }

  /** Presses an Action.Execute button on a card in this channel that the bot answers for the presser alone; resolves with that answer. */
  async executeForText(card: ReceivedCard, button: ButtonChoice): Promise<string> {
    assert.ok(this.owns(card.conversationId), `the card is not in ${this.name} but in ${card.conversationId}`);
    return this.client.executeForText(card, button);
  }

  /**
   * Does `action` and waits for the first card in this channel after it whose visible text
   * matches: in the thread `inThread` if given, or as a new thread Laget starts itself (`newThread`).
   */
  async expectCard(action: () => Promise<unknown>, expected: RegExp, options: ChannelWait = {}): Promise<ReceivedCard> {
    return this.expect(action, expected, options, 'card') as Promise<ReceivedCard>;
  }

  /** Like expectCard, for a plain text message (Laget's short answers in a thread). */
  async expectText(action: () => Promise<unknown>, expected: RegExp, options: ChannelWait = {}): Promise<BotMessage> {
    return this.expect(action, expected, options, 'text');
  }

  private async expect(action: () => Promise<unknown>, expected: RegExp, options: ChannelWait, kind: 'card' | 'text'): Promise<BotMessage> {
    const thread = () => (typeof options.inThread === 'function' ? options.inThread() : options.inThread);
    const where = options.newThread ? ' as a new thread' : options.inThread ? ' in the thread' : '';
    return this.client.expectMessage(
      action,
      (message): message is BotMessage =>
        (kind === 'card') === (message.card !== undefined) &&
        this.owns(message.conversationId) &&
        (!options.newThread || message.startsThread) &&
        (options.inThread === undefined || message.conversationId === thread()) &&
        expected.test(message.text),
      `a ${kind} matching ${expected} in ${this.name}${where}`,
      options.timeoutMs ?? 15_000,
    );
  }

  /** Posts a message and waits for Laget's card in the thread it started. */
  async ask(text: string, expected: RegExp, timeoutMs?: number): Promise<ReceivedCard> {
    let threadId = '';
    return this.expectCard(
      async () => {
        threadId = await this.post(text);
      },
      expected,
      { inThread: () => threadId, timeoutMs },
    );
  }

  /** Every card Laget has sent into this channel so far (new threads and replies), in order. */
  cards(matching?: RegExp): ReceivedCard[] {
    return this.client
      .messages()
      .filter((m): m is ReceivedCard => m.card !== undefined && m.action === 'createMessage' && this.owns(m.conversationId))
      .filter((m) => !matching || matching.test(m.text));
  }

  /** The threads Laget started in this channel itself (installation, the rhythm), in order. */
  threadsStarted(matching?: RegExp): ReceivedCard[] {
    return this.cards(matching).filter((m) => m.startsThread);
  }

  private owns(conversationId: string): boolean {
    return conversationId === this.channelId || conversationId.startsWith(`${this.channelId};messageid=`);
  }

  private mentioning(text: string) {
    const tag = `<at>${this.bot.name}</at>`;
    return {
      from: { id: this.client.userId },
      text: `${tag} ${text}`,
      textFormat: 'plain',
      mentions: [{ mentioned: { id: this.bot.id, name: this.bot.name }, text: tag }],
    };
  }
}
