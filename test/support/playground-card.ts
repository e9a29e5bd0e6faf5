import assert from 'node:assert/strict';
import { buttonTitles } from './conversation';

/**
 * What the Agents Playground's web UI sends when a person presses an Action.Submit button (or an
 * Action.Execute button: the same data, inside `value.action` of an invoke), so an API-driven test
 * sends nothing a person could not. The UI renders cards with the `adaptivecards` library (3.x)
 * and posts `action.data` after the library has prepared it:
 *  - a deep copy of the button's `data` (a string `data` is not submitted as an object: {} );
 *  - unless `associatedInputs` is "none", every input of the card that "is set" overwrites its
 *    id, as a string: text, date, time and choice inputs only when not empty, a number when it
 *    is a number, a toggle always (its valueOn/valueOff) unless it is required and off;
 *  - nothing is sent while a required input is not set (the UI marks the field instead).
 * See SubmitActionBase.internalPrepareForExecution and Input*.isSet in node_modules/adaptivecards.
 */
export type CardJson = Record<string, unknown>;

type InputNode = {
  type: string;
  id: string;
  value?: unknown;
  isRequired?: boolean;
  valueOn?: string;
  valueOff?: string;
  choices?: Array<{ value?: unknown }>;
  isMultiSelect?: boolean;
};

type ActionNode = { type: 'Action.Submit' | 'Action.Execute'; title?: string; verb?: string; data?: unknown; associatedInputs?: string };

/** Visits every object in the card; `skipShowCards` leaves out the cards behind Action.ShowCard buttons. */
function walk(node: unknown, visit: (record: Record<string, unknown>) => void, skipShowCards = false): void {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, visit, skipShowCards));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  visit(record);
  for (const [key, child] of Object.entries(record)) {
    if (skipShowCards && record.type === 'Action.ShowCard' && key === 'card') continue;
    walk(child, visit, skipShowCards);
  }
}

/**
 * A button as a person picks it: by its title, or — where a card repeats a title, like the
 * "Fortsett" on every row of "mine saker" — by its title in the row that shows `near`.
 */
export type ButtonChoice = string | { title: string; near: string };

const titleOf = (button: ButtonChoice) => (typeof button === 'string' ? button : button.title);
const describeButton = (button: ButtonChoice) =>
  typeof button === 'string' ? `"${button}"` : `"${button.title}" next to "${button.near}"`;

/** The visible text of a part of a card (the same fields the tests read as "text"). */
function visibleText(node: unknown): string {
  const parts: string[] = [];
  walk(node, (record) => {
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof record[key] === 'string') parts.push(record[key]);
  });
  return parts.join('\n');
}

function actionsIn(node: unknown, type: ActionNode['type'], title: string): ActionNode[] {
  const found: ActionNode[] = [];
  walk(node, (record) => {
    if (record.type === type && record.title === title) found.push(record as ActionNode);
  });
  return found;
}

/**
 * The button a person would press: the first with that title, or the one inside the smallest
 * element of the card (a row, a column) whose text shows `near`.
 */
function findAction(card: CardJson, type: ActionNode['type'], button: ButtonChoice): ActionNode | undefined {
  if (typeof button === 'string') return actionsIn(card, type, button)[0];
  let best: { size: number; action: ActionNode } | undefined;
  walk(card, (record) => {
    if (typeof record.type !== 'string' || record.type.startsWith('Action.')) return;
    const text = visibleText(record);
    if (!text.includes(button.near)) return;
    const [action, ...others] = actionsIn(record, type, button.title);
    if (action && others.length === 0 && (!best || text.length < best.size)) best = { size: text.length, action };
  });
  return best?.action;
}

/** The inputs a root-level button submits (the library collects them from the button's ancestors). */
function inputsOf(card: CardJson): InputNode[] {
  const inputs: InputNode[] = [];
  walk(
    card,
    (node) => {
      if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') inputs.push(node as InputNode);
    },
    true,
  );
  return inputs;
}

/** The value the library would read from the rendered input after the person typed `typed` (or nothing). */
function currentValue(input: InputNode, typed: string | undefined): string | undefined {
  if (input.type === 'Input.Toggle') {
    const on = input.valueOn ?? 'true';
    const off = input.valueOff ?? 'false';
    const value = typed ?? (input.value === on ? on : off);
    assert.ok(value === on || value === off, `toggle "${input.id}" can only be ${on} or ${off}, not "${value}"`);
    return value;
  }
  if (typed !== undefined && input.type === 'Input.ChoiceSet' && !input.isMultiSelect) {
    const offered = (input.choices ?? []).map((choice) => String(choice.value));
    assert.ok(offered.includes(typed), `"${typed}" is not a choice of "${input.id}" (choices: ${offered.join(', ')})`);
  }
  if (typed !== undefined) return typed;
  const { value } = input;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function isSet(input: InputNode, value: string | undefined): boolean {
  if (input.type === 'Input.Toggle') return input.isRequired ? value === (input.valueOn ?? 'true') : Boolean(value);
  if (input.type === 'Input.Number') return value !== undefined && value !== '' && !Number.isNaN(Number(value));
  return Boolean(value);
}

/**
 * The `value` of POST /_conversation/v1/submit for pressing `button` on `card` after filling in
 * `typed` (input id → what the person entered or chose).
 */
export function submitValue(card: CardJson, button: ButtonChoice, typed: Record<string, string> = {}): Record<string, unknown> {
  const action = findAction(card, 'Action.Submit', button);
  assert.ok(action, `the card has no button ${describeButton(button)}; it has: ${buttonTitles(card).join(', ')}`);
  return preparedData(card, action, titleOf(button), typed);
}

/**
 * The `value.action` of POST /_conversation/v1/invoke for pressing an Action.Execute `button`:
 * what the Playground's UI sends (type, title, verb, and the data prepared like a submit's).
 */
export function executeAction(
  card: CardJson,
  button: ButtonChoice,
  typed: Record<string, string> = {},
): { type: 'Action.Execute'; title: string; verb: string; data: Record<string, unknown> } {
  const action = findAction(card, 'Action.Execute', button);
  assert.ok(action, `the card has no Action.Execute button ${describeButton(button)}; it has: ${buttonTitles(card).join(', ')}`);
  // Without a verb the UI does not call the bot at all ("Unable to reach app").
  assert.ok(
    typeof action.verb === 'string' && action.verb !== '',
    `the button ${describeButton(button)} has no verb: the Playground would not send it`,
  );
  return { type: 'Action.Execute', title: titleOf(button), verb: action.verb, data: preparedData(card, action, titleOf(button), typed) };
}

/** The button's data deep-copied, with the card's inputs merged in as the adaptivecards library does. */
function preparedData(card: CardJson, action: ActionNode, title: string, typed: Record<string, string>): Record<string, unknown> {
  const value: Record<string, unknown> =
    action.data && typeof action.data === 'object' ? (JSON.parse(JSON.stringify(action.data)) as Record<string, unknown>) : {};

  const inputs = inputsOf(card);
  const ids = inputs.map((input) => input.id);
  for (const id of Object.keys(typed)) assert.ok(ids.includes(id), `the card has no input "${id}"; it has: ${ids.join(', ')}`);
  if (action.associatedInputs === 'none') return value;

  for (const input of inputs) {
    const current = currentValue(input, typed[input.id]);
    const set = isSet(input, current);
    assert.ok(set || !input.isRequired, `the UI would not send "${title}": the required input "${input.id}" is empty`);
    if (set) value[input.id] = current;
  }
  return value;
}

/**
 * The value behind the choice a person picks by what it says (`title`: the whole title, or a
 * pattern it matches) in the choice input `inputId` — what the UI sends for that pick.
 */
export function choiceValue(card: CardJson, inputId: string, title: string | RegExp): string {
  type ChoiceInput = { choices?: Array<{ title?: unknown; value?: unknown }> };
  let input: ChoiceInput | undefined;
  walk(card, (node) => {
    if (!input && node.type === 'Input.ChoiceSet' && node.id === inputId) input = node;
  });
  assert.ok(input, `the card has no choice input "${inputId}"`);
  const choices = input.choices ?? [];
  const picked = choices.filter((choice) => (typeof title === 'string' ? choice.title === title : title.test(String(choice.title))));
  assert.equal(
    picked.length,
    1,
    `"${inputId}" has ${picked.length} choices like ${String(title)}; it offers: ${choices.map((c) => String(c.title)).join(' | ')}`,
  );
  return String(picked[0]!.value);
}
