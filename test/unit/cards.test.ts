import assert from 'node:assert/strict';
import { cardProblems, MAX_CARD_BYTES } from '../../src/cards/guards';
import { templateNames } from '../../src/cards/render';
import { CARD_SAMPLES } from '../support/card-samples';

describe('card templates', () => {
  it('has a sample for every template in cards/, so none escapes the checks', () => {
    const sampled = new Set(CARD_SAMPLES.map((sample) => sample.template));
    assert.deepEqual(templateNames().filter((name) => !sampled.has(name)), []);
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
