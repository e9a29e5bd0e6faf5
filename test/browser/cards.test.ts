import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { renderCard } from '../../src/cards/render';
import type { CardTemplate } from '../../src/cards/templates';
import { CARD_SAMPLES } from '../support/card-samples';
import { CardRenderer } from '../support/card-renderer';
import { textOf } from '../support/laget';
import { TEMPLATE_SAMPLES } from '../support/template-samples';

describe('every card renders in Chromium with the real adaptivecards library', function () {
  this.timeout(60_000);
  let renderer: CardRenderer;
  before(async () => {
    renderer = await CardRenderer.start();
  });
  after(async () => renderer?.close());

  for (const sample of CARD_SAMPLES) {
    it(`renders ${sample.name} without parse or validation problems and saves a PNG`, async () => {
      const rendered = await renderer.render(await sample.card());
      assert.deepEqual(rendered.problems, []);
      const png = await renderer.screenshot(sample.name);
      assert.ok(statSync(png).size > 1000, 'the screenshot shows something');
    });
  }

  // Each template with its typed sample data (test/support/template-samples.ts), beside the builders' cards above.
  for (const name of Object.keys(TEMPLATE_SAMPLES).sort() as CardTemplate[]) {
    it(`renders the ${name} template with its typed sample data without parse or validation problems`, async () => {
      const rendered = await renderer.render(renderCard(name, TEMPLATE_SAMPLES[name]));
      assert.deepEqual(rendered.problems, []);
    });
  }

  // Only the leader's view of a pending request can be decided; every other view has no buttons.
  const approvalButtons: [sample: string, buttons: string[]][] = [
    ['approval-leader-nb', ['Godkjenn', 'Avslå']],
    ['approval-owner-nb', []],
    ['approval-stranger-nb', []],
    ['approval-decided-nb', []],
  ];
  for (const [name, buttons] of approvalButtons) {
    it(`shows ${buttons.length > 0 ? buttons.join(' and ') : 'no buttons'} on ${name}`, async () => {
      const sample = CARD_SAMPLES.find((candidate) => candidate.name === name);
      assert.ok(sample, `no card sample ${name}`);
      const rendered = await renderer.render(await sample.card());
      assert.deepEqual(rendered.buttons, buttons);
    });
  }

  it('shows the welcome card buttons a person can press', async () => {
    const welcome = CARD_SAMPLES.find((sample) => sample.name === 'welcome-nb')!;
    const rendered = await renderer.render(await welcome.card());
    assert.ok(rendered.buttons.includes('Hva er URO-metoden?'));
    const pressed = await renderer.press('Jeg er urolig for et barn');
    assert.deepEqual(pressed?.data, { verb: 'uro.new' });
  });
});

describe('the report card in Chromium', function () {
  this.timeout(60_000);
  let renderer: CardRenderer;
  before(async () => {
    renderer = await CardRenderer.start();
  });
  after(async () => renderer?.close());

  it('shows the chart image and the deviations first, and saves the PNG', async () => {
    const sample = CARD_SAMPLES.find((candidate) => candidate.name === 'report-coordinator-nb')!;
    const rendered = await renderer.render(await sample.card());
    assert.deepEqual(rendered.problems, []);
    assert.deepEqual(rendered.buttons, ['Last ned som regneark', 'Forrige tertial']);
    // The team meetings: the units' and the oppvekstforum's across units, in the municipality's totals.
    assert.match(textOf(await sample.card()), /Teammøter holdt\n12\n.*\(anonymt \/ med navn\)\n27 \/ 20/);
    const png = await renderer.screenshot('report-coordinator-nb');
    // The chart alone is a few KB; a card that holds it drawn is well above that.
    assert.ok(statSync(png).size > 20_000, `the screenshot holds the chart (${statSync(png).size} bytes)`);
  });
});
