import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { CardCheckFailed, cardProblems, type AdaptiveCardJson } from './guards';
import { projectRoot } from '../paths';

/**
 * Cards are templates plus data: the JSON in cards/ holds the layout, code supplies the data.
 * Templates are read once; every expansion is checked before it is handed to the bot.
 */
const CARDS_DIR = join(projectRoot, 'cards');
const templates = new Map<string, ACData.Template>();

export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function templateFor(name: string): ACData.Template {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/** Expands cards/<name>.json with data and checks the result (version 1.5, verbs, size). */
export function renderCard(name: string, data: object): AdaptiveCardJson {
  const card = templateFor(name).expand({ $root: data }) as AdaptiveCardJson;
  delete (card as Record<string, unknown>)['$schema'];
  const problems = cardProblems(card);
  if (problems.length > 0) throw new CardCheckFailed(name, problems);
  return card;
}
