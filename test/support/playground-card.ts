import assert from 'node:assert/strict';
import { buttonTitles } from './conversation';

/**
 * What the Agents Playground's web UI sends when a person presses an Action.Submit button, so an
 * API-driven test sends nothing a person could not. The UI renders cards with the `adaptivecards`
 * library (3.x) and posts `action.data` after the library has prepared it:
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

type SubmitNode = { type: 'Action.Submit'; title?: string; data?: unknown; associatedInputs?: string };

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

function findSubmit(card: CardJson, title: string): SubmitNode | undefined {
  let found: SubmitNode | undefined;
  walk(card, (node) => {
    if (!found && node.type === 'Action.Submit' && node.title === title) found = node as SubmitNode;
  });
  return found;
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
  return input.value === undefined || input.value === null ? undefined : String(input.value);
}

function isSet(input: InputNode, value: string | undefined): boolean {
  if (input.type === 'Input.Toggle') return input.isRequired ? value === (input.valueOn ?? 'true') : Boolean(value);
  if (input.type === 'Input.Number') return value !== undefined && value !== '' && !Number.isNaN(Number(value));
  return Boolean(value);
}

/**
 * The `value` of POST /_conversation/v1/submit for pressing `title` on `card` after filling in
 * `typed` (input id → what the person entered or chose).
 */
export function submitValue(card: CardJson, title: string, typed: Record<string, string> = {}): Record<string, unknown> {
  const action = findSubmit(card, title);
  assert.ok(action, `the card has no button "${title}"; it has: ${buttonTitles(card).join(', ')}`);
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
