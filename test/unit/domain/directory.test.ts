import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import {
  DIRECTORY_ACTOR,
  directoryChanges,
  leaderFor,
  peopleOf,
  type DirectoryMember,
  type DirectorySnapshot,
} from '../../../src/domain/directory';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import type { PersonRef } from '../../../src/domain/primitives';
import { accepted, anne, apply, day, isoDay, kari, lise, newCase, nina, noticesOf, ola, per, refused, run } from './support';

const member = (person: PersonRef, enabled = true): DirectoryMember => ({ ...person, enabled });
const UNITS = ['solsikken-barnehage', 'bjorkelangen-skole'];

/** Solsikken: Kari, Anne, Nina staff, Per leads; Bjørkelangen: Lise and Nina staff, Ola leads; Nina also coordinates. */
function snapshot(
  change: (s: { solsikken: DirectoryMember[][]; bjorkelangen: DirectoryMember[][] }) => void = () => {},
): DirectorySnapshot {
  const s = {
    solsikken: [[member(kari), member(anne), member(nina)], [member(per)]],
    bjorkelangen: [[member(lise), member(nina)], [member(ola)]],
  };
  change(s);
  return {
    units: {
      'solsikken-barnehage': { staff: s.solsikken[0]!, leaders: s.solsikken[1]! },
      'bjorkelangen-skole': { staff: s.bjorkelangen[0]!, leaders: s.bjorkelangen[1]! },
    },
    coordinators: [member(nina)],
  };
}

describe('the directory (who works where, who leads, who coordinates)', () => {
  it('gives each active person their units in the municipality’s order, with each unit’s leaders', () => {
    const people = peopleOf(snapshot(), UNITS);
    assert.deepEqual(people.get(kari.id), {
      id: kari.id,
      name: kari.name,
      units: [{ unitId: 'solsikken-barnehage', leads: false, leaders: [per] }],
      coordinator: false,
    });
    assert.deepEqual(
      people.get(nina.id)?.units.map((u) => u.unitId),
      ['solsikken-barnehage', 'bjorkelangen-skole'],
    );
    assert.equal(people.get(nina.id)?.coordinator, true);
    assert.deepEqual(
      people.get(per.id)?.units,
      [{ unitId: 'solsikken-barnehage', leads: true, leaders: [per] }],
      'a leader is in the unit',
    );
  });

  it('counts nobody whose account is disabled, neither as staff nor as leader', () => {
    const people = peopleOf(
      snapshot((s) => {
        s.solsikken[0]![0] = member(kari, false);
        s.solsikken[1]!.unshift(member(ola, false));
      }),
      UNITS,
    );
    assert.equal(people.get(kari.id), undefined);
    assert.deepEqual(people.get(anne.id)?.units[0]?.leaders, [per], 'a disabled leader leads nothing');
  });

  it('picks the unit’s first active leader for a case, never its owner', () => {
    assert.deepEqual(leaderFor([per, ola]), per);
    assert.deepEqual(leaderFor([per, ola], [per.id]), ola);
    assert.equal(leaderFor([per], [per.id]), undefined);
  });

  describe('what changed between two readings', () => {
    it('sees nothing when nothing changed', () => {
      assert.deepEqual(directoryChanges(snapshot(), snapshot()), { leaderChanges: [], departures: [] });
    });

    it('a teacher who moves unit has left the first one', () => {
      const moved = snapshot((s) => {
        s.solsikken[0] = s.solsikken[0]!.filter((m) => m.id !== anne.id);
        s.bjorkelangen[0]!.push(member(anne));
      });
      assert.deepEqual(directoryChanges(snapshot(), moved), {
        leaderChanges: [],
        departures: [{ unitId: 'solsikken-barnehage', person: anne, reason: 'left-unit' }],
      });
    });

    it('a new leader: the old one is gone from the unit’s leaders (and from the unit)', () => {
      const changed = snapshot((s) => {
        s.solsikken[1] = [member(nina)];
      });
      assert.deepEqual(directoryChanges(snapshot(), changed), {
        leaderChanges: [{ unitId: 'solsikken-barnehage', gone: [per], leaders: [nina] }],
        departures: [{ unitId: 'solsikken-barnehage', person: per, reason: 'left-unit' }],
      });
    });

    it('a disabled account has left every unit it was in, as disabled', () => {
      const disabled = snapshot((s) => {
        s.solsikken[0]![2] = member(nina, false);
        s.bjorkelangen[0]![1] = member(nina, false);
      });
      assert.deepEqual(directoryChanges(snapshot(), disabled).departures, [
        { unitId: 'solsikken-barnehage', person: nina, reason: 'account-disabled' },
        { unitId: 'bjorkelangen-skole', person: nina, reason: 'account-disabled' },
      ]);
    });
  });
});

describe('the directory’s changes to a case', () => {
  /** S3 before Per decides: kept informed, an approval waiting for Per. */
  const pending = (): Case =>
    apply(
      apply(
        apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73)),
        {
          type: 'record-consent',
          givenBy: ['mother'],
          services: ['ppt'],
          teams: [],
          purpose: 'Samarbeid.',
          givenOn: isoDay(73),
          validUntil: isoDay(400),
          signedFormArchivedAt: 'Arkivmappe for samtykker',
        },
        kari,
        day(73),
      ),
      { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
      kari,
      day(73),
    );

  it('gives the case the unit’s new leader; the approval moves to her, the old leader is told, the history keeps both', () => {
    const decision = run(pending(), { type: 'directory-change-leader', to: nina }, DIRECTORY_ACTOR, day(74));
    const c = accepted(decision).case;
    assert.equal(c.nearestLeader.id, nina.id);
    assert.deepEqual(noticesOf(decision), ['previous-leader:leader-replaced', 'leader:leader-assigned', 'leader:approval-requested']);
    assert.deepEqual(
      c.events
        .filter((e) => e.type === 'leader-changed')
        .map((e) => e.type === 'leader-changed' && [e.fromPersonId, e.toPersonId, e.byDirectory]),
      [[per.id, nina.id, true]],
    );
    refused(run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74)), 'not-designated-leader');
    accepted(run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, nina, day(74)));
  });

  it('tells nobody about a case the old leader never heard of (before 2b, nothing waiting)', () => {
    assert.deepEqual(noticesOf(run(newCase(), { type: 'directory-change-leader', to: ola }, DIRECTORY_ACTOR, day(1))), []);
  });

  it('changes nothing and tells nobody the second time (a repeated sync)', () => {
    const once = apply(pending(), { type: 'directory-change-leader', to: nina }, DIRECTORY_ACTOR, day(74));
    const twice = accepted(run(once, { type: 'directory-change-leader', to: nina }, DIRECTORY_ACTOR, day(74)));
    assert.deepEqual(twice.events, []);
    assert.deepEqual(twice.notify, []);
  });

  it('never makes the owner the leader of her own case', () => {
    refused(run(newCase(), { type: 'directory-change-leader', to: kari }, DIRECTORY_ACTOR, day(1)), 'leader-cannot-be-owner');
  });

  it('is never given by a person, not even the leader', () => {
    refused(run(newCase(), { type: 'directory-change-leader', to: ola }, per, day(1)), 'directory-only');
    refused(run(newCase(), { type: 'record-owner-departure', reason: 'left-unit' }, per, day(1)), 'directory-only');
  });

  it('offers the leader the baton of a departed owner’s case once; the owner keeps it until someone accepts', () => {
    const decision = run(newCase(), { type: 'record-owner-departure', reason: 'account-disabled' }, DIRECTORY_ACTOR, day(1));
    assert.deepEqual(accepted(decision).notify, [{ to: 'leader', personId: per.id, about: 'owner-departed', ref: 'account-disabled' }]);
    const c = accepted(decision).case;
    assert.equal(c.owner.id, kari.id);
    const again = accepted(run(c, { type: 'record-owner-departure', reason: 'left-unit' }, DIRECTORY_ACTOR, day(2)));
    assert.deepEqual([again.events, again.notify], [[], []]);
    // The leader's offer is the ordinary one; the new holder's accept moves the baton.
    const offered = apply(c, { type: 'reassign-owner', to: anne }, per, day(2));
    const moved = apply(offered, { type: 'accept-handover' }, anne, day(3));
    assert.equal(moved.owner.id, anne.id);
    assert.deepEqual(
      noticesOf(run(moved, { type: 'record-owner-departure', reason: 'left-unit' }, DIRECTORY_ACTOR, day(4))),
      ['leader:owner-departed'],
      'the next owner’s departure is told again',
    );
  });

  it('keeps working while the case’s sharing is blocked (rule 3 does not stop who holds the case)', () => {
    const s7 = buildScenarioCase('S7');
    accepted(run(s7, { type: 'directory-change-leader', to: lise }, DIRECTORY_ACTOR, day(120)));
    accepted(run(s7, { type: 'record-owner-departure', reason: 'left-unit' }, DIRECTORY_ACTOR, day(120)));
  });
});
