import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textOf } from './laget';
import { submitValue, type CardJson } from './playground-card';

/**
 * One person's side of the Microsoft 365 Agents Playground (0.2.x), driven through the HTTP and
 * websocket API its own web UI uses (see /tmp/playground-notes.md when it exists):
 *  - the personal chat and the signed-in person come from GET /_internal/v1/config;
 *  - what the bot sends arrives only on the websocket /_ws_conversation/v1/conversations/stream,
 *    which buffers while nobody listens and then flushes to the next client, so connect first;
 *  - typed text goes to POST /_conversation/v1/conversations/{id}/messages, a button press to
 *    POST /_conversation/v1/submit with the value the UI would send (see playground-card.ts);
 *  - opening the page makes the UI "install" the bot in the personal chat (installationUpdate +
 *    conversationUpdate): POST /_debug/conversation/{id}/installation.
 *
 * The websocket is Node's built-in client (global from Node 22; Node 20 needs the
 * --experimental-websocket flag, which .mocharc.json passes), so no dependency is added.
 */

/** A card or text the bot sent into the personal chat, in arrival order. */
export type BotMessage = { seq: number; messageId: string; action: string; text: string; card?: CardJson };
export type ReceivedCard = BotMessage & { card: CardJson };

type StreamFrame = {
  action?: string;
  actionConversationId?: string;
  message?: { messageId?: string; text?: string; attachments?: Array<{ contentType?: string; content?: unknown }> };
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
    throw new Error('Node has no global WebSocket: use Node 22+, or run Node 20 with --experimental-websocket (.mocharc.json "node-option")');
  }
  return constructor;
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export class PlaygroundClient {
  private readonly received: BotMessage[] = [];
  private readonly listeners = new Set<() => void>();
  private closedBecause: string | undefined;
  private socket: WebSocketLike | undefined;

  private constructor(
    private readonly baseUrl: string,
    readonly userId: string,
    readonly personalChatId: string,
    private readonly artifactsDir: string | undefined,
  ) {}

  /** Reads who is signed in and opens the websocket before anything is sent, so no reply is missed. */
  static async connect(url: string, options: { artifactsDir?: string } = {}): Promise<PlaygroundClient> {
    // The Playground listens on every interface; 127.0.0.1 avoids depending on how "localhost" resolves.
    const baseUrl = url.replace('//localhost:', '//127.0.0.1:').replace(/\/$/, '');
    const response = await fetch(`${baseUrl}/_internal/v1/config`);
    assert.equal(response.status, 200, `GET /_internal/v1/config answered ${response.status}`);
    const { config } = (await response.json()) as { config: { currentUser: { id: string }; personalChat: { id: string } } };
    const client = new PlaygroundClient(baseUrl, config.currentUser.id, config.personalChat.id, options.artifactsDir);
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

  /** Presses an Action.Submit button on a card the bot sent, with these inputs filled in. */
  async press(card: ReceivedCard, title: string, typed: Record<string, string> = {}): Promise<void> {
    await this.post('/_conversation/v1/submit', {
      conversation: { id: this.personalChatId },
      replyToId: card.messageId,
      value: submitValue(card.card, title, typed),
      from: { id: this.userId },
    });
  }

  /**
   * Does `action` (say, press, install) and waits for the first card after it whose visible text
   * matches `expected`. Anything else the bot sends meanwhile (a reminder, a text) is kept and
   * shown if the wait times out.
   */
  async expectCard(action: () => Promise<void>, expected: RegExp, timeoutMs = 15_000): Promise<ReceivedCard> {
    const from = this.received.length;
    await action();
    const isExpected = (message: BotMessage): message is ReceivedCard => message.card !== undefined && expected.test(message.text);
    return new Promise<ReceivedCard>((resolve, reject) => {
      const check = () => {
        const hit = this.received.slice(from).find(isExpected);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.closedBecause) {
          done();
          reject(new Error(`no card matching ${expected}: ${this.closedBecause}. ${this.describeSince(from)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no card matching ${expected} within ${timeoutMs} ms. ${this.describeSince(from)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private describeSince(from: number): string {
    const since = this.received.slice(from);
    if (since.length === 0) return 'The bot sent nothing into the personal chat.';
    return `The bot sent instead:\n${since.map((m) => `  [${m.card ? 'card' : 'text'}] ${m.text.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}`;
  }

  private onFrame(data: string): void {
    const frame = JSON.parse(data) as StreamFrame;
    const message = frame.message;
    // Typing indicators carry no message; other conversations (group, team) are not this person's chat.
    if (!message || frame.actionConversationId !== this.personalChatId) return;
    const card = message.attachments?.find((a) => a.contentType === ADAPTIVE_CARD)?.content as CardJson | undefined;
    const received: BotMessage = {
      seq: this.received.length + 1,
      messageId: String(message.messageId),
      action: String(frame.action),
      text: card ? textOf(card) : (message.text ?? ''),
      card,
    };
    this.received.push(received);
    if (card) this.saveArtifact(received);
    this.listeners.forEach((listener) => listener());
  }

  /** Each card as JSON under test-artifacts/, so a person can see what the bot really sent. */
  private saveArtifact(message: BotMessage): void {
    if (!this.artifactsDir) return;
    const heading = message.text.split('\n')[0] ?? '';
    const slug = heading
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 40);
    const name = `${String(message.seq).padStart(2, '0')}-${slug || 'card'}.json`;
    writeFileSync(join(this.artifactsDir, name), `${JSON.stringify({ messageId: message.messageId, action: message.action, card: message.card }, null, 2)}\n`);
  }

  private fail(reason: string): void {
    this.closedBecause ??= reason;
    this.listeners.forEach((listener) => listener());
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, 200, `POST ${path} answered ${response.status}: ${text}`);
  }
}
