import assert from 'node:assert/strict';
import { startCase, takeMove, walkTo } from '../../support/ladder-walk';
import {
  BUNDLED_LADDERS,
  DEFAULT_LADDER_ID,
  LadderDefinitionSchema,
  loadLadder,
  parseLadderDefinition,
  UnknownLadderError,
} from '../../../src/domain/ladder';
import { findStep, pathTo, stepNeedsApproval, transitions } from '../../../src/domain/ladder-steps';
import aurskogHolandJson from '../../../src/domain/ladders/aurskog-holand.json';
import { AH, ASNES, BTI } from './support';

/** A deep copy of the Aurskog-Høland file to break on purpose. */
type LadderJson = { [key: string]: unknown; steps: Array<Record<string, unknown>> };
function brokenCopy(edit: (json: LadderJson) => void): unknown {
  const json = JSON.parse(JSON.stringify(aurskogHolandJson)) as LadderJson;
  edit(json);
  return json;
}

function problemsOf(input: unknown): string {
  const result = parseLadderDefinition(input);
  assert.equal(result.ok, false, 'the broken definition was accepted');
  return result.ok ? '' : result.problems.join('\n');
}

describe('ladder definitions', () => {
  it('ships three valid ladders, with Aurskog-Høland as the default', () => {
    assert.deepEqual([...BUNDLED_LADDERS.keys()].sort(), ['asnes-samhandlingstrappa', 'aurskog-holand', 'bti']);
    assert.equal(DEFAULT_LADDER_ID, 'aurskog-holand');
    assert.equal(loadLadder().id, 'aurskog-holand');
    for (const ladder of BUNDLED_LADDERS.values()) {
      assert.ok(LadderDefinitionSchema.safeParse(ladder).success, `${ladder.id} does not validate`);
    }
  });

  it('refuses to load a ladder nobody defined', () => {
    assert.throws(() => loadLadder('nowhere'), UnknownLadderError);
  });

  it('gives every ladder the URO worry zones unless it brings its own', () => {
    for (const ladder of BUNDLED_LADDERS.values()) {
      assert.deepEqual(
        ladder.zones.zones.map((z) => z.id),
        ['none', 'small', 'grey', 'great', 'acute'],
      );
    }
  });

  describe('validation', () => {
    it('rejects a transition that points to an unknown step', () => {
      const input = brokenCopy((json) => {
        (json.steps[1] as { outcomes: { b: string } }).outcomes.b = '9z';
      });
      assert.match(problemsOf(input), /leads to unknown step 9z/);
    });

    it('rejects a start step that is not a step', () => {
      assert.match(problemsOf(brokenCopy((json) => (json.startStep = '0'))), /start step 0 is not a step/);
    });

    it('rejects a step id used twice', () => {
      assert.match(problemsOf(brokenCopy((json) => (json.steps[2]!.id = '2a'))), /step id 2a is used twice/);
    });

    it('rejects a step that shares with services without requiring consent', () => {
      const input = brokenCopy((json) => {
        const threeB = json.steps.find((s) => s.id === '3b') as { requires: { kind: string }[] };
        threeB.requires = threeB.requires.filter((r) => r.kind !== 'consent');
      });
      assert.match(problemsOf(input), /shares with services must require consent/);
    });

    it('rejects a step that cannot be reached from the start', () => {
      const input = brokenCopy((json) => {
        json.steps.push({ ...json.steps[1], id: '5a' });
      });
      assert.match(problemsOf(input), /step 5a cannot be reached/);
    });

    it('rejects an "a" outcome into a step that waits for the leader', () => {
      const input = brokenCopy((json) => {
        const one = json.steps.find((s) => s.id === '1') as { outcomes: { a: string } };
        one.outcomes.a = '3b';
      });
      assert.match(problemsOf(input), /outcome a of 1 enters 3b at once, which cannot require leader-approval/);
    });

    it('rejects a default period longer than the maximum', () => {
      const input = brokenCopy((json) => {
        json.steps[2]!.period = { defaultDays: 90, maxDays: 60 };
      });
      assert.match(problemsOf(input), /default period is longer than the maximum/);
    });

    it('rejects a parent note on a step that does not talk to the parents', () => {
      const input = brokenCopy((json) => {
        json.steps[0]!.talksToParents = false;
        (json.steps[0]!.parts as { talksToParents: boolean }[]).forEach((p) => (p.talksToParents = false));
      });
      assert.match(problemsOf(input), /requires a parent note but does not talk to the parents/);
    });
  });

  describe('the Aurskog-Høland model', () => {
    it('does 1a and 1b together as the first step, with the signed parent note', () => {
      const first = findStep(AH, AH.startStep);
      assert.deepEqual(
        first?.parts.map((p) => p.id),
        ['1a', '1b'],
      );
      assert.ok(first?.requires.some((r) => r.kind === 'signed-parent-note'));
    });

    it('keeps the leader informed from 2b on, not before', () => {
      const informed = AH.steps.filter((s) => s.informLeader).map((s) => s.id);
      assert.deepEqual(informed, ['2b', '3a', '3b', '4a', '4b']);
    });

    it('lets 2b run at most 60 days (1–2 months)', () => {
      assert.equal(findStep(AH, '2b')?.period?.maxDays, 60);
    });

    it('asks the leader to approve only the move into 3b', () => {
      assert.deepEqual(
        AH.steps.filter((s) => stepNeedsApproval(AH, s.id)).map((s) => s.id),
        ['3b'],
      );
    });

    it('leads from 3b by the parents’ answer: consent to 4a, refusal to 4b', () => {
      const outcomes = findStep(AH, '3b')?.outcomes;
      assert.deepEqual({ basis: outcomes?.basis, a: outcomes?.a, b: outcomes?.b }, { basis: 'parents-consent', a: '4a', b: '4b' });
      assert.match(outcomes?.labels?.question.nb ?? '', /samtykker de i hjelp fra andre fagpersoner\?/, 'and asks the parents’ answer');
    });
  });

  describe('BTI', () => {
    it('has levels 0–3 with a stafettholder from level 1', () => {
      assert.deepEqual(
        BTI.steps.map((s) => [s.id, s.ownerRole]),
        [
          ['0', 'case-owner'],
          ['1', 'stafettholder'],
          ['2', 'stafettholder'],
          ['3', 'stafettholder'],
        ],
      );
    });

    it('needs consent for every added service from level 2, and a coordinator at level 3', () => {
      assert.equal(findStep(BTI, '2')?.sharesWithServices?.minServices, 1);
      assert.equal(findStep(BTI, '3')?.sharesWithServices?.minServices, 2);
      assert.ok(findStep(BTI, '3')?.requires.some((r) => r.kind === 'coordinator-named'));
    });

    it('shares the wonder with the parents already on level 0, so rule 2 applies from the start', () => {
      assert.deepEqual(
        BTI.steps.map((s) => [s.id, s.talksToParents]),
        [
          ['0', true],
          ['1', true],
          ['2', true],
          ['3', true],
        ],
      );
    });
  });

  describe('Åsnes samhandlingstrappa', () => {
    it('has the stafettlogg with a stafettholder and consent on step 3', () => {
      const three = findStep(ASNES, '3');
      assert.equal(three?.ownerRole, 'stafettholder');
      assert.ok(three?.requires.some((r) => r.kind === 'consent'));
    });
  });

  for (const ladder of [AH, BTI, ASNES]) {
    describe(`every legal path of ${ladder.id}`, () => {
      it('starts a case on the start step', () => {
        const walk = startCase(ladder);
        assert.equal(walk.case.currentStep?.stepId, ladder.startStep);
      });

      for (const move of transitions(ladder)) {
        it(`moves from ${move.from} to ${move.to} on outcome ${move.outcome} (${move.basis})`, () => {
          const there = walkTo(ladder, move.from);
          const after = takeMove(ladder, there, move);
          assert.equal(after.case.currentStep?.stepId, move.to);
          const entered = after.case.events.filter((e) => e.type === 'step-entered').at(-1);
          if (move.from !== move.to) assert.equal(entered?.type === 'step-entered' && entered.stepId, move.to);
          const expected = findStep(ladder, move.to)?.kind === 'monitoring' || move.outcome === 'a' ? 'monitoring' : 'open';
          assert.equal(after.case.status, expected);
        });
      }

      it('reaches every step', () => {
        for (const step of ladder.steps) assert.ok(pathTo(ladder, step.id), `${step.id} is unreachable`);
      });
    });
  }
});
