import assert from 'node:assert/strict';
import { z } from 'zod';
import { errorCard, fieldLabel } from '../../src/cards/common';
import { ExecutePayloads, parsePayload, Payloads } from '../../src/cards/payloads';
import { cardProblems, MAX_CARD_BYTES } from '../../src/cards/guards';
import { templateNames } from '../../src/cards/render';
import { CARD_SAMPLES } from '../support/card-samples';

describe('card templates', () => {
  it('has a sample for every template in cards/, so none escapes the checks', () => {
    const sampled = new Set(CARD_SAMPLES.map((sample) => sample.template));
    assert.deepEqual(
      templateNames().filter((name) => !sampled.has(name)),
      [],
    );
  });

  for (const sample of CARD_SAMPLES) {
    it(`expands ${sample.name} completely and passes the renderer's checks`, async () => {
      const card = await sample.card();
      assert.deepEqual(cardProblems(card), []);
      assert.doesNotMatch(JSON.stringify(card), /\$\{/, 'no template expression is left unexpanded');
      assert.doesNotMatch(JSON.stringify(card), /undefined/, 'no missing catalogue text');
    });
  }
});

describe('the consent card', () => {
  it('asks whether the child has reached the consent age and gives no answer in advance', async () => {
    const card = await CARD_SAMPLES.find((sample) => sample.name === 'consent-nb')!.card();
    const body = card.body as Array<Record<string, unknown>>;
    const question = body.find((element) => element.id === 'childOfAge');
    assert.ok(question, 'the card asks about the child');
    assert.equal(question.isRequired, true, 'the owner must answer');
    assert.equal(question.value, undefined, 'no answer is chosen for the owner');
  });
});

describe('the renderer checks every card it sends', () => {
  const base = { type: 'AdaptiveCard', version: '1.5', body: [] };

  it('refuses a card that is not version 1.5', () => {
    assert.match(cardProblems({ ...base, version: '1.6' }).join(), /version is 1.6/);
  });

  it('refuses an Action.Execute without a verb, wherever it is nested', () => {
    const card = { ...base, body: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Godkjenn' }] }] };
    assert.match(cardProblems(card).join(), /Action.Execute at \$\.body\[0\]\.actions\[0\] has no verb/);
  });

  it('refuses an Action.Submit that carries no verb to route it by', () => {
    assert.match(cardProblems({ ...base, actions: [{ type: 'Action.Submit', title: 'Send', data: {} }] }).join(), /no data.verb/);
  });

  it('refuses a card larger than 25 KB', () => {
    const card = { ...base, body: [{ type: 'TextBlock', text: 'x'.repeat(MAX_CARD_BYTES) }] };
    assert.match(cardProblems(card).join(), /bytes, more than/);
  });
});

describe('what a person reads when a card cannot be used', () => {
  /** The object schema inside a payload schema (some are wrapped in a cross-field check). */
  const shapeOf = (schema: z.ZodTypeAny): Record<string, unknown> => {
    let inner: z.ZodTypeAny = schema;
    while (inner instanceof z.ZodEffects) inner = inner.innerType() as z.ZodTypeAny;
    return (inner as z.ZodObject<z.ZodRawShape>).shape;
  };
  const keys = [
    ...new Set([...Object.values(Payloads), ...Object.values(ExecutePayloads)].flatMap((schema) => Object.keys(shapeOf(schema)))),
  ];

  for (const locale of ['nb', 'en'] as const) {
    it(`names every field of every card payload by a label in ${locale}, never by its key`, () => {
      const raw = keys.filter((key) => fieldLabel(locale, key) === key);
      assert.deepEqual(raw, []);
    });
  }

  const domainPaths: Array<[string, string]> = [
    ['answers.seenOrHeard', 'Hva har du sett eller hørt?'],
    ['answers.whyNotBoth', 'Hvis ikke begge: hvorfor?'],
    ['goals.0.text', 'Mål 1'],
    ['goals.1.targetOn', 'Mål 2: innen'],
    ['actions.2.what', 'Tiltak 3'],
    ['parentNote.text', 'Notat'],
    ['alias', 'Initialer eller kallenavn'],
    ['action1Due', 'Tiltak 1: frist'],
    ['goal2Date', 'Mål 2: innen'],
    ['sinceWhen', 'Siden når?'],
    ['item3Known', 'Sak 3: Hva vet vi?'],
    ['item1Measure2', 'Sak 1: Tiltak 2 (hva)'],
    ['item2Who3', 'Sak 2: Tiltak 3: hvem'],
    ['item1Due1', 'Sak 1: Tiltak 1: innen'],
    ['item4Goal', 'Sak 4: Mål'],
    ['item4GoalOn', 'Sak 4: Mål innen'],
  ];
  for (const [path, label] of domainPaths) {
    it(`calls "${path}" «${label}»`, () => assert.equal(fieldLabel('nb', path), label));
  }

  it('names a field someone typed into a payload by its key, even one every object has (constructor, toString)', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'teamItem']) assert.equal(fieldLabel('nb', key), key);
    const card = JSON.stringify(errorCard('nb', 'invalid-payload', ['constructor']));
    assert.doesNotMatch(card, /function|native code/);
  });

  it('tells a half-filled row of step 1 in its own sentence instead of naming the field', () => {
    const parsed = parsePayload(Payloads['uro.stage-1'], {
      verb: 'uro.stage-1',
      caseId: 'UR-7K4Q',
      unitId: 'solsikken-barnehage',
      rev: 'x',
      goal1Text: 'Deltar',
      goal1Date: '2026-03-30',
      goal3Date: '2026-04-01',
      action2What: 'Prat',
      evaluationOn: '2026-03-30',
      noteText: 'Kort.',
      sign: 'false',
    });
    assert.equal(parsed.ok, false);
    const card = errorCard('nb', 'invalid-payload', parsed.ok ? [] : parsed.fields, parsed.ok ? {} : parsed);
    const text = JSON.stringify(card);
    assert.match(text, /Mål 3 trenger en tekst – eller fjern datoen\./);
    assert.match(text, /Tiltak 2 trenger en frist\./);
    assert.match(text, /Kryss av for at du signerer notatet\./);
    assert.doesNotMatch(text, /Sjekk feltet/);
  });
});

describe('the cards of the URO conversation', () => {
  const URO_TEMPLATES = ['uro-start', 'uro-zone', 'worry-form', 'uro-report-path', 'uro-stage-1', 'evaluation'];

  for (const sample of CARD_SAMPLES.filter((s) => URO_TEMPLATES.includes(s.template))) {
    it(`${sample.name}: says what to do under an input, not its label again`, () => {
      const repeated: string[] = [];
      const visit = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node && typeof node === 'object') {
          const input = node as { type?: string; label?: string; errorMessage?: string; id?: string };
          if (input.type?.startsWith('Input.') && input.errorMessage !== undefined && input.errorMessage === input.label)
            repeated.push(input.id ?? '?');
          Object.values(node).forEach(visit);
        }
      };
      visit(sample.card());
      assert.deepEqual(repeated, []);
    });
  }

  it('refuses a national identity number in the alias on the card itself', () => {
    const card = CARD_SAMPLES.find((s) => s.name === 'uro-4-part-a-nb')!.card();
    const alias =
      JSON.stringify(card).match(/"id":"alias"[^}]*"regex":"((?:[^"\\]|\\.)*)"/) ??
      JSON.stringify(card).match(/"regex":"((?:[^"\\]|\\.)*)"[^}]*"id":"alias"/);
    assert.ok(alias, 'the alias input has a regex');
    const regex = new RegExp(JSON.parse(`"${alias[1]}"`) as string);
    for (const refused of ['01020312345', 'ref 123456789012', '010203 12345', '010203-12345'])
      assert.equal(regex.test(refused), false, refused);
    for (const accepted of ['E.H.', 'Ola', 'E.H. 2b', '']) assert.equal(regex.test(accepted), true, accepted);
  });

  it('offers "I answered wrongly" and "now suspected" on the report path only where they apply', () => {
    const titles = (name: string) => JSON.stringify(CARD_SAMPLES.find((s) => s.name === name)!.card());
    assert.match(titles('uro-2-report-path-danger-now-nb'), /Jeg svarte feil – avslutt saken/);
    assert.match(titles('uro-2-report-path-danger-now-nb'), /Jeg mistenker nå vold eller overgrep/);
    assert.doesNotMatch(titles('uro-2-report-path-nb'), /Jeg svarte feil|Jeg mistenker nå/, 'S5 is reported, with violence suspected');
    assert.doesNotMatch(titles('uro-2-report-path-from-flow-nb'), /Jeg svarte feil/);
    assert.match(titles('uro-2-report-path-from-flow-nb'), /"title":"Tilbake"/);
  });
});
