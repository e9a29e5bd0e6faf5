import assert from 'node:assert/strict';
import { CASE_SCHEMA_VERSION, CaseSchema } from '../../../src/domain/case';
import { WORRY_FORM_QUESTIONS, WORRY_FORM_PART_SCHEMAS, WorryFormPartASchema } from '../../../src/domain/worry-form';
import { DEFAULT_ZONE_SET, findZone, zoneCallsForAction, zonesByRank } from '../../../src/domain/zones';
import { accepted, apply, day, isoDay, kari, newCase, noticesOf, per, refused, run, stranger, T0 } from './support';

describe('the URO flow before the ladder', () => {
  describe('creating a case', () => {
    it('opens a draft owned by the staff member who worries, with the safety answers first', () => {
      const c = newCase();
      assert.equal(c.status, 'draft');
      assert.equal(c.owner.id, kari.id);
      assert.equal(c.nearestLeader.id, per.id);
      assert.deepEqual([c.safety.dangerNow, c.safety.suspectedViolenceOrAbuse], [false, false]);
      assert.deepEqual(
        c.events.map((e) => e.type),
        ['case-created', 'safety-answered'],
      );
      assert.equal(c.schemaVersion, CASE_SCHEMA_VERSION);
      assert.ok(CaseSchema.safeParse(c).success);
    });

    it('tells nobody about an ordinary new case', () => {
      const decision = run(
        null,
        {
          type: 'create-case',
          caseId: 'UR-7K4Q',
          unitId: 'solsikken-barnehage',
          nearestLeader: per,
          safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
        },
        kari,
        T0,
      );
      assert.deepEqual(noticesOf(decision), []);
    });

    it('shows the direct report path at once when there is danger now', () => {
      const decision = run(
        null,
        {
          type: 'create-case',
          caseId: 'UR-7K4Q',
          unitId: 'solsikken-barnehage',
          nearestLeader: per,
          safety: { dangerNow: true, suspectedViolenceOrAbuse: false },
        },
        kari,
        T0,
      );
      assert.deepEqual(noticesOf(decision), ['owner:direct-report-guidance']);
    });

    it('refuses an alias that holds a national identity number', () => {
      refused(
        run(
          null,
          {
            type: 'create-case',
            caseId: 'UR-7K4Q',
            unitId: 'solsikken-barnehage',
            nearestLeader: per,
            alias: '010203 12345',
            safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
          },
          kari,
          T0,
        ),
        'national-id-not-allowed',
      );
    });

    it('does not create a case twice under the same code', () => {
      refused(
        run(
          newCase(),
          {
            type: 'create-case',
            caseId: 'UR-7K4Q',
            unitId: 'x',
            nearestLeader: per,
            safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
          },
          kari,
          T0,
        ),
        'case-already-exists',
      );
    });
  });

  describe('safety answers', () => {
    it('accepts a later "yes" and shows the direct report path', () => {
      const decision = run(
        newCase(),
        { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: true } },
        kari,
        day(1),
      );
      assert.deepEqual(noticesOf(decision), ['owner:direct-report-guidance']);
      assert.equal(accepted(decision).case.safety.suspectedViolenceOrAbuse, true);
    });

    it('never takes a "yes" back', () => {
      const c = newCase({ safety: { dangerNow: false, suspectedViolenceOrAbuse: true } });
      refused(
        run(c, { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: false } }, kari, day(1)),
        'safety-answer-cannot-be-withdrawn',
      );
    });
  });

  describe('worry zones', () => {
    it('has the five URO zones from no worry to acute, in order', () => {
      assert.deepEqual(
        zonesByRank(DEFAULT_ZONE_SET).map((z) => z.labels.nb),
        ['Ingen uro', 'Liten uro', 'Gråsone', 'Stor uro', 'Akutt'],
      );
    });

    it('says "act now" for great worry and acute, not before', () => {
      assert.deepEqual(
        DEFAULT_ZONE_SET.zones.filter(zoneCallsForAction).map((z) => z.id),
        ['great', 'acute'],
      );
      for (const zone of DEFAULT_ZONE_SET.zones) {
        assert.ok(zone.guidance.nb.length > 0 && zone.guidance.en.length === zone.guidance.nb.length, `${zone.id} guidance`);
      }
    });

    it('keeps the history of where the worry was placed', () => {
      let c = apply(newCase(), { type: 'place-in-zone', zoneId: 'small' }, kari, T0);
      c = apply(c, { type: 'place-in-zone', zoneId: 'grey' }, kari, day(7));
      assert.deepEqual(
        c.zoneHistory.map((z) => z.zoneId),
        ['small', 'grey'],
      );
    });

    it('points to the acute guidance when the worry is placed in the acute zone', () => {
      assert.deepEqual(noticesOf(run(newCase(), { type: 'place-in-zone', zoneId: 'acute' }, kari, T0)), ['owner:acute-guidance']);
      assert.deepEqual(noticesOf(run(newCase(), { type: 'place-in-zone', zoneId: 'great' }, kari, T0)), ['owner:zone-guidance']);
    });

    it('refuses a zone the ladder does not know', () => {
      refused(run(newCase(), { type: 'place-in-zone', zoneId: 'purple' }, kari, T0), 'unknown-zone');
      assert.equal(findZone(DEFAULT_ZONE_SET, 'purple'), undefined);
    });
  });

  describe('the worry form', () => {
    it('has a labelled question for every field of parts A, B and C, and nothing else', () => {
      for (const part of ['A', 'B', 'C'] as const) {
        const keys = Object.keys(WORRY_FORM_PART_SCHEMAS[part].shape).sort();
        assert.deepEqual(WORRY_FORM_QUESTIONS[part].map((q) => q.key).sort(), keys, `part ${part}`);
      }
      assert.deepEqual(
        WORRY_FORM_QUESTIONS.A.filter((q) => q.required).map((q) => q.key),
        ['seenOrHeard', 'whatWorriesMe'],
      );
    });

    it('keeps free text bounded to 2000 characters', () => {
      const long = 'x'.repeat(2001);
      assert.equal(WorryFormPartASchema.safeParse({ seenOrHeard: long, whatWorriesMe: 'ok' }).success, false);
      assert.equal(WorryFormPartASchema.safeParse({ seenOrHeard: 'x'.repeat(2000), whatWorriesMe: 'ok' }).success, true);
      assert.equal(WorryFormPartASchema.safeParse({ seenOrHeard: '   ', whatWorriesMe: 'ok' }).success, false);
    });

    it('records part A, B and C, and remembers the planned conversation day', () => {
      let c = apply(newCase(), { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } }, kari, T0);
      c = apply(
        c,
        { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Jeg har lagt merke til …', plannedOn: isoDay(3) } },
        kari,
        T0,
      );
      assert.equal(c.nextDates.conversationOn, isoDay(3));
      c = apply(c, { type: 'record-part-c', answers: { heldOn: isoDay(3), howItWent: 'Godt.', worryNowZoneId: 'small' } }, kari, day(3));
      assert.equal(c.nextDates.conversationOn, null);
      assert.deepEqual(
        c.zoneHistory.map((z) => z.zoneId),
        ['small'],
      );
      assert.ok(c.worryForm.partA && c.worryForm.partB && c.worryForm.partC);
    });

    it('refuses a planned conversation in the past and a held conversation in the future', () => {
      refused(
        run(newCase(), { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei', plannedOn: isoDay(-1) } }, kari, T0),
        'date-in-past',
      );
      refused(run(newCase(), { type: 'record-part-c', answers: { heldOn: isoDay(2), howItWent: 'Godt.' } }, kari, T0), 'date-in-future');
    });

    it('refuses a national identity number hidden in any answer', () => {
      const decision = run(
        newCase(),
        { type: 'record-part-a', answers: { seenOrHeard: 'Barnet (010203–10045) var lei seg.', whatWorriesMe: 'x' } },
        kari,
        T0,
      );
      assert.equal(refused(decision, 'national-id-not-allowed').detail?.field, 'answers.seenOrHeard');
    });

    it('lets only the owner fill in the form', () => {
      refused(run(newCase(), { type: 'record-part-a', answers: { seenOrHeard: 'x', whatWorriesMe: 'y' } }, stranger, T0), 'not-owner');
      refused(run(newCase(), { type: 'record-part-a', answers: { seenOrHeard: 'x', whatWorriesMe: 'y' } }, per, T0), 'not-owner');
    });
  });

  describe('the alias', () => {
    it('can be changed or removed by the owner', () => {
      let c = apply(newCase(), { type: 'set-alias', alias: 'EH' }, kari, T0);
      assert.equal(c.alias, 'EH');
      c = apply(c, { type: 'set-alias', alias: null }, kari, T0);
      assert.equal(c.alias, null);
    });
  });
});
