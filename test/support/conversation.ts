import assert from 'node:assert/strict';
import {
  CHANNEL,
  channelExecute,
  channelMessage,
  execute,
  message,
  personalConversationId,
  submit,
  type Activity,
  type TestUser,
} from './activities';
import { cardOf, textOf, type Running } from './laget';

/** One thing the bot sent back: the text, or the card and its visible text. */
export type Reply = { text: string; card?: Record<string, unknown>; activity: Record<string, unknown>; invoke?: boolean };

/**
 * A person's personal chat with Laget, driven through real HTTP as Teams would drive it: typed
 * messages, and button presses that send the button's data merged with the card's inputs.
 * Pressing checks that the button and every input exist on the card, so a test cannot pass
 * by sending what no card offers.
 */
export class Conversation {
  readonly conversationId: string;

  constructor(
    private readonly running: Running,
    readonly user: TestUser,
    private readonly locale = 'nb-NO',
    /** In the team channel (messages mention Laget) instead of the personal chat. */
    private readonly inChannel = false,
    /** Which channel of the team (by default the one the tests set the team up in). */
    private readonly channelId: string = CHANNEL.channelId,
  ) {
    this.conversationId = inChannel ? channelId : personalConversationId(user);
  }

  /** The same person in the team channel (or another channel of the same team). */
  static inChannel(running: Running, user: TestUser, channelId: string = CHANNEL.channelId): Conversation {
    return new Conversation(running, user, 'nb-NO', true, channelId);
  }

  async say(text: string): Promise<Reply[]> {
    return this.send(
      this.inChannel
        ? channelMessage(this.running.connector.url, this.user, text, this.channelId)
        : message(this.running.connector.url, this.user, text, this.locale),
    );
  }

  /** Sends a raw submit value, as a forged or broken client might. */
  async submitRaw(value: Record<string, unknown>): Promise<Reply[]> {
    return this.send(this.submitActivity(value));
  }

  private submitActivity(value: Record<string, unknown>): Activity {
    if (!this.inChannel) return submit(this.running.connector.url, this.user, value, this.locale);
    const { text: _text, entities: _entities, ...activity } = channelMessage(this.running.connector.url, this.user, '', this.channelId);
    return { ...activity, value };
  }

  /**
   * Presses the button titled `title` on `card`, with these input values filled in. An
   * Action.Execute button sends an invoke; its answer (for the presser alone) comes first among
   * the replies, marked `invoke`.
   */
  async press(card: Record<string, unknown> | undefined, title: string, inputs: Record<string, string> = {}): Promise<Reply[]> {
    assert.ok(card, `no card to press "${title}" on`);
    const action = findSubmit(card, title);
    assert.ok(action, `the card has no button "${title}"; it has: ${buttonTitles(card).join(', ')}`);
    const ids = inputIds(card);
    for (const id of Object.keys(inputs)) assert.ok(ids.includes(id), `the card has no input "${id}"; it has: ${ids.join(', ')}`);
    const withInputs = action.associatedInputs === 'none' ? {} : { ...defaultValues(card), ...inputs };
    if (action.type === 'Action.Execute') {
      const data = { ...(action.data as object), ...withInputs };
      const url = this.running.connector.url;
      return this.send(
        this.inChannel ? channelExecute(url, this.user, action.verb!, data, this.channelId) : execute(url, this.user, action.verb!, data),
      );
    }
    return this.send(this.submitActivity({ ...(action.data as object), ...withInputs }));
  }

  private async send(activity: Activity): Promise<Reply[]> {
    const before = this.running.connector.calls.length;
    const response = await this.running.post(activity);
    assert.equal(response.status, 200, `the bot answered ${response.status}: ${JSON.stringify(response.body)}`);
    const invoke = activity.type === 'invoke' ? [invokeReply(response.body)] : [];
    return invoke.concat(
      this.running.connector.calls
        .slice(before)
        .filter((call) => call.conversationId === this.conversationId)
        .map((call) => {
          const card = cardOf(call.activity);
          return {
            activity: call.activity,
            card,
            text: card ? textOf(card) : typeof call.activity.text === 'string' ? call.activity.text : '',
          };
        }),
    );
  }
}

/** The last card among the replies (what the person looks at next). */
export function lastCard(replies: Reply[]): Record<string, unknown> | undefined {
  return [...replies].reverse().find((reply) => reply.card)?.card;
}

export function allText(replies: Reply[]): string {
  return replies.map((reply) => reply.text).join('\n');
}

type SubmitAction = { type: string; title?: string; verb?: string; data?: unknown; associatedInputs?: string };

/** The answer to an invoke, as a reply: a message's text, or a card and its text. */
function invokeReply(body: unknown): Reply {
  const answer = (body ?? {}) as { type?: string; value?: unknown };
  if (answer.type === 'application/vnd.microsoft.card.adaptive') {
    const card = answer.value as Record<string, unknown>;
    return { text: textOf(card), card, activity: { invoke: answer }, invoke: true };
  }
  return { text: typeof answer.value === 'string' ? answer.value : '', activity: { invoke: answer }, invoke: true };
}

function walk(node: unknown, visit: (record: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node as Record<string, unknown>).forEach((child) => walk(child, visit));
  }
}

function findSubmit(card: Record<string, unknown>, title: string): SubmitAction | undefined {
  let found: SubmitAction | undefined;
  walk(card, (node) => {
    if (!found && (node.type === 'Action.Submit' || node.type === 'Action.Execute') && node.title === title) found = node as SubmitAction;
  });
  return found;
}

export function buttonTitles(card: Record<string, unknown>): string[] {
  const titles: string[] = [];
  walk(card, (node) => {
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && typeof node.title === 'string') titles.push(node.title);
  });
  return titles;
}

export function inputIds(card: Record<string, unknown>): string[] {
  const ids: string[] = [];
  walk(card, (node) => {
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') ids.push(node.id);
  });
  return ids;
}

/** What Teams sends for inputs the person did not touch: their preset value, or "". */
function defaultValues(card: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  walk(card, (node) => {
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') {
      values[node.id] = typeof node.value === 'string' ? node.value : '';
    }
  });
  return values;
}
