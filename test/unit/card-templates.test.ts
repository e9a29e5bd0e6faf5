import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardProblems } from '../../src/cards/guards';
import { renderCard, templateNames } from '../../src/cards/render';
import type { CardTemplate } from '../../src/cards/templates';
import { projectRoot } from '../../src/paths';
import { templateBindings, unboundPaths, unreadPaths } from '../support/template-bindings';
import { TEMPLATE_SAMPLES } from '../support/template-samples';

/**
 * Each template in cards/ against its typed sample (test/support/template-samples.ts, typed by
 * CardTemplates): the data type and the template's `${…}` bindings say the same thing, and the
 * card renders through the real templating and the renderer's checks.
 */
const names = Object.keys(TEMPLATE_SAMPLES).sort() as CardTemplate[];
const templateOf = (name: string): unknown => JSON.parse(readFileSync(join(projectRoot, 'cards', `${name}.json`), 'utf8'));

describe('the card templates and their typed data', () => {
  it('has a typed sample for every template in cards/, and no sample without a template', () => {
    assert.deepEqual(names, templateNames());
  });

  for (const name of names) {
    describe(name, () => {
      it('binds nothing its sample lacks', () => {
        assert.deepEqual(unboundPaths(templateBindings(templateOf(name)), TEMPLATE_SAMPLES[name]), []);
      });

      it('is given nothing it never reads', () => {
        assert.deepEqual(unreadPaths(templateBindings(templateOf(name)), TEMPLATE_SAMPLES[name]), []);
      });

      it('has a sample with an item in every list the template repeats or counts, so the checks reach inside', () => {
        const { lists } = templateBindings(templateOf(name));
        const sample = TEMPLATE_SAMPLES[name] as unknown as Record<string, unknown>;
        const empty = lists.filter(
          (list) => !list.includes('.') && Array.isArray(sample[list]) && (sample[list] as unknown[]).length === 0,
        );
        assert.deepEqual(empty, []);
      });

      it('renders its sample completely and passes the renderer checks', () => {
        const card = renderCard(name, TEMPLATE_SAMPLES[name]);
        assert.deepEqual(cardProblems(card), []);
        assert.doesNotMatch(JSON.stringify(card), /\$\{/, 'no template expression is left unexpanded');
        assert.doesNotMatch(JSON.stringify(card), /undefined/, 'no missing catalogue text');
      });
    });
  }
});

describe('the compiler holds each template to its data', () => {
  /** Never called: each line below must fail to compile, or the type check of the tests fails. */
  const wouldNotCompile = (): void => {
    // @ts-expect-error an approval card cannot be filled with a notice's data
    renderCard('approval', TEMPLATE_SAMPLES.notice);
    // @ts-expect-error a notice without its facts
    renderCard('notice', { title: 'x', paragraphs: [], buttons: [] });
    // @ts-expect-error no template has this name
    renderCard('approvals', TEMPLATE_SAMPLES.approval);
  };

  it('takes the data its template is declared with', () => {
    assert.equal(typeof wouldNotCompile, 'function');
    assert.equal(renderCard('notice', TEMPLATE_SAMPLES.notice).type, 'AdaptiveCard');
  });
});

describe('the binding check itself', () => {
  const template = {
    body: [
      { type: 'TextBlock', text: '${title}', $when: "${count(items) > 0 && note != ''}" },
      { $data: '${items}', type: 'TextBlock', text: '${label} ${$root.t.more}' },
      { type: 'ActionSet', actions: [{ type: 'Action.Submit', data: '${submit}' }] },
    ],
  };

  it('finds what a template reads, in the scope of each repeated element', () => {
    assert.deepEqual(templateBindings(template), { reads: ['items.[].label', 'note', 'submit', 't.more', 'title'], lists: ['items'] });
  });

  it('names a binding the data lacks, and a key the template never reads', () => {
    const data = { t: {}, title: 'x', note: '', items: [{ label: 'a', extra: 1 }], submit: { verb: 'v', deep: { x: 1 } }, spare: true };
    assert.deepEqual(unboundPaths(templateBindings(template), data), ['t.more']);
    assert.deepEqual(unreadPaths(templateBindings(template), data), ['items.[].extra', 'spare']);
  });
});
