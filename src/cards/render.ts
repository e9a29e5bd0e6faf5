import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CardCheckFailed, cardProblems, type AdaptiveCardJson } from './guards';
import { projectRoot } from '../paths';
import type { CardTemplate, CardTemplates } from './templates';

/**
 * Cards are templates plus data: the JSON in cards/ holds the layout, code supplies the data.
 * Templates are read once; every expansion is checked before it is handed to the bot.
 */
const CARDS_DIR = join(projectRoot, 'cards');
const templates = new Map<CardTemplate, ACData.Template>();

export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function templateFor(name: CardTemplate): ACData.Template {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/**
 * Expands cards/<name>.json with data and checks the result (version 1.5, verbs, size). Teams reads
 * a TextBlock's text and a fact's title and value as markdown, and much of that text is what people
 * typed: every one of them is escaped here, so a link someone typed (`[se journal](https://…)`) or
 * their asterisks are shown as typed. No template relies on markdown (emphasis is `weight`, or a
 * RichTextBlock), so this holds for every card by construction. The data's type is the template's
 * entry in `CardTemplates` (src/cards/templates.ts).
 */
export function renderCard<N extends CardTemplate>(name: N, data: CardTemplates[N]): AdaptiveCardJson {
  const card = templateFor(name).expand({ $root: data }) as AdaptiveCardJson;
  delete (card as Record<string, unknown>)['$schema'];
  escapeMarkdownIn(card);
  const problems = cardProblems(card);
  if (problems.length > 0) throw new CardCheckFailed(name, problems);
  return card;
}

/**
 * Text shown as itself where Teams would read markdown: the characters that make links, images and
 * emphasis (and the backslash that escapes them) get a backslash. What a person sees is unchanged.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\[\]*_]/g, (char) => `\\${char}`);
}

/** A TextBlock's text and a fact's title and value, escaped (and its day-first lines kept literal); a button's data is left alone. */
function escapeMarkdownIn(node: unknown): void {
  if (Array.isArray(node)) node.forEach(escapeMarkdownIn);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') record.text = shownAsTyped(record.text);
    if (record.type === 'FactSet' && Array.isArray(record.facts)) {
      for (const fact of record.facts as Record<string, unknown>[]) {
        if (typeof fact.title === 'string') fact.title = shownAsTyped(fact.title);
        if (typeof fact.value === 'string') fact.value = shownAsTyped(fact.value);
      }
    }
    for (const [key, child] of Object.entries(record)) if (key !== 'data') escapeMarkdownIn(child);
  }
}

/**
 * The mark around a link Laget itself puts in a card's text (the municipality's phone numbers and
 * report page): random for each process, so no text a person typed can carry it. Only what sits
 * between two marks is kept as a live link; everything else is escaped.
 */
const LINK_MARK = `\u2063${globalThis.crypto.randomUUID()}\u2063`;

/** A link Laget makes (`tel:` or the municipality's own address), kept live in a card's markdown. */
export function trustedLink(label: string, target: string): string {
  return `${LINK_MARK}[${escapeMarkdown(label)}](${target.replace(/[()\s]/g, '')})${LINK_MARK}`;
}

function shownAsTyped(text: string): string {
  const parts = text.split(LINK_MARK);
  return literalLines(parts.map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part))).join(''));
}

/**
 * Adaptive Card markdown makes a line that starts with a number and a dot ("7. desember 2026 …")
 * an ordered list: the day disappears (a screen reader reads "1.") and the line is indented. The
 * space after such a number is made a no-break space, which no markdown reads as a list marker and
 * every reader shows the same. Applies to the text of TextBlocks and to facts, where Teams renders
 * markdown; inputs and buttons are plain text already.
 */
function literalLines(text: string): string {
  return text.replace(/^(\s*\d{1,9})([.)]) /gm, '$1$2\u00a0');
}
