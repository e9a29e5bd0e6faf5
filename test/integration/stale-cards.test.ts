import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Case } from '../../src/domain/case';
import type { Command } from '../../src/domain/commands';
import { decideAll, type CommandBy } from '../../src/domain/decide';
import { readyToEvaluate, walkTo } from '../support/ladder-walk';
import { ehStage1Script, PEOPLE } from '../../scripts/seed/scenarios';
import { runScript } from '../../scripts/seed/script';
import { loadLadder } from '../../src/domain/ladder';
import { dayOf } from '../../src/domain/time';
import { CaseRepository } from '../../src/store/case-repository';
import { botInstalledInTeam, users } from '../support/activities';
import { allText, Conversation, lastCard } from '../support/conversation';
import { startTestLaget, type Running } from '../support/laget';
import { submitSamples } from '../support/payload-samples';
import { setUpTeam } from '../support/team-walk';
import { readCase, SOLSIKKEN } from '../support/uro-walk';

/**
 * Every card that carries the case's ETag (`rev`), pressed after the case changed under it: the
 * press changes nothing (a report excepted: rule 1 never waits), and the person is told that the
 * card is out of date — or, for an evaluation drawn for a step the case has left, what happened
 * since — and is shown the case as it is now. One row per verb; a verb with a `rev` and no row
 * fails the coverage check.
 */

const T0 = new Date('2026-03-02T08:00:00Z');
const DAY = 86_400_000;
const ladder = loadLadder('aurskog-holand');
const BJORKELANGEN = 'bjorkelangen-skole';

/** What an out-of-date card is answered with (in one of its forms). */
const STALE =
  /Dette kortet er utdatert|Saken ble endret etter at du fikk kortet|allerede lagret|ble evaluert|Saken har endret seg siden kortet/;

type Row = {
  verb: string;
  button: string;
  inputs?: Record<string, string>;
  /** The card to press, and who presses it (Kari unless said). */
  card: () => Promise<{ code: string; unitId?: string; card: Record<string, unknown>; by?: Conversation }>;
  /** A report is recorded even from an old card (rule 1). */
  stillApplies?: true;
};

describe('every card with the case’s version, pressed after the case changed (stale cards)', function () {
  this.timeout(120_000);
  let running: Running;
  let clock = T0;
  let kari: Conversation;
  let per: Conversation;
  let lise: Conversation;
  let n = 0;
  const code = () => {
    n += 1;
    return `UR-S${'23456789BCDFGHJKMNPQRSTVWXZ'[Math.floor(n / 27) % 27]}${'23456789BCDFGHJKMNPQRSTVWXZ'[n % 27]}T`;
  };

  before(async () => {
    running = await startTestLaget({}, { now: () => clock });
    kari = new Conversation(running, users.kari);
    per = new Conversation(running, users.per);
    lise = new Conversation(running, users.lise);
    for (const chat of [kari, per, lise, new Conversation(running, users.ola)]) await chat.say('hei');
    // Bjørkelangen's team in its channel, for bringing a case to it.
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    const channel = Conversation.inChannel(running, users.ola);
    await setUpTeam(channel, { roles: 'leader,teacher', dates: '2026-03-17, 2026-04-28' });
  });
  after(async () => running.stop());

  const repository = () => new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
  const show = async (chat: Conversation, caseId: string, view: string, item?: string, unitId = SOLSIKKEN) =>
    lastCard(await chat.submitRaw({ verb: 'uro.show', caseId, unitId, view, ...(item ? { item } : {}) }))!;

  /** Stores a case built by commands (Kari's, on Aurskog-Høland), with the clock after its last one. */
  async function store(c: Case): Promise<Case> {
    clock = new Date(Date.parse(c.updatedAt) + 60_000);
    await repository().create(c);
    return c;
  }
  /** Kari's E.H. case after the first `lines` commands of the URO flow, under a code of its own. */
  const draft = (lines: number, extra: Command[] = []) => {
    const caseId = code();
    const script = ehStage1Script(new Date(T0.getTime() - 20 * DAY))
      .slice(0, lines)
      .map((line) => (line.command.type === 'create-case' ? { ...line, command: { ...line.command, caseId } } : line));
    const last = script.at(-1)!.now;
    const more = extra.map((command) => ({ command: withDay(command, dayOf(last)), actor: PEOPLE.kari, now: last }));
    return store(runScript(ladder, [...script, ...more]).case);
  };
  /** A note written on the day it is recorded. */
  const withDay = (command: Command, today: string): Command => (command.type === 'add-note' ? { ...command, heldOn: today } : command);
  /** A case on `stepId` (its work done and a week on, when `ready`), and commands after it. */
  const onStep = (
    stepId: string,
    ready: boolean,
    then: (c: Case, today: string) => { command: Command; actor?: typeof PEOPLE.kari }[] = () => [],
  ) => {
    const walked = walkTo(ladder, stepId, { caseId: code(), start: new Date(T0.getTime() - 250 * DAY) });
    const walk = ready ? readyToEvaluate(ladder, walked) : walked;
    const lines = then(walk.case, dayOf(walk.now)).map((l): CommandBy => ({
      command: l.command,
      actor: l.actor ?? PEOPLE.kari,
      now: walk.now,
    }));
    const decided = lines.length > 0 ? decideAll(walk.case, lines, ladder) : { kind: 'accepted' as const, case: walk.case };
    assert.equal(decided.kind, 'accepted', JSON.stringify(decided));
    return store((decided as { case: Case }).case);
  };
  const consent = (today: string, services = ['ppt']): Command => ({
    type: 'record-consent',
    givenBy: ['mother', 'father'],
    services,
    teams: [],
    purpose: 'Samarbeid.',
    givenOn: today,
    validUntil: dayOf(new Date(Date.parse(today) + 300 * DAY)),
    signedFormArchivedAt: 'Arkivmappe for samtykker',
  });
  const card = async (c: Case, view: string, item?: string) => ({ code: c.id, card: await show(kari, c.id, view, item) });

  const ROWS: Row[] = [
    { verb: 'uro.zone', button: 'Videre', inputs: { zoneId: 'small' }, card: async () => card(await draft(1), 'zone') },
    {
      verb: 'uro.part-a',
      button: 'Lagre og fortsett',
      inputs: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' },
      card: async () => card(await draft(2), 'part-a'),
    },
    { verb: 'uro.part-b', button: 'Lagre og fortsett', inputs: { opening: 'Hei.' }, card: async () => card(await draft(3), 'part-b') },
    { verb: 'uro.part-c', button: 'Lagre og fortsett', inputs: { howItWent: 'Godt.' }, card: async () => card(await draft(4), 'part-c') },
    { verb: 'uro.stage-1-note', button: 'Lagre notatet', inputs: { sign: 'true' }, card: async () => card(await draft(5), 'stage-1') },
    {
      verb: 'uro.stage-1',
      button: 'Start trinn 1',
      inputs: { goal1Text: 'Deltar i leken' },
      card: async () =>
        card(
          await draft(5, [{ type: 'add-note', kind: 'cooperation-start', heldOn: dayOf(T0), text: 'Samtale.', signByOwner: true }]),
          'stage-1',
        ),
    },
    {
      verb: 'uro.close',
      button: 'Avslutt saken',
      card: async () => card(await draft(1, [{ type: 'place-in-zone', zoneId: 'none' }]), 'zone'),
    },
    { verb: 'uro.delete-draft', button: 'Slett utkastet', card: async () => card(await draft(2), 'delete-draft') },
    {
      verb: 'uro.report',
      button: 'Registrer det jeg har gjort',
      inputs: { done: 'reported' },
      stillApplies: true,
      card: async () => card(await draft(2), 'report'),
    },
    {
      verb: 'case.evaluation',
      button: 'Registrer evalueringen',
      inputs: { outcome: 'a' },
      card: async () => card(await onStep('2b', true), 'evaluation'),
    },
    {
      verb: 'case.meeting',
      button: 'Lagre referatet',
      inputs: { parents: 'both', conclusions: 'Referat.', sign: 'true' },
      card: async () => card(await onStep('2b', false), 'meeting', 'open-dialogue'),
    },
    {
      verb: 'case.sign-meeting',
      button: 'Lagre signaturene',
      inputs: { parentsSignedOn: dayOf(T0), archivedAt: 'Arkivmappe' },
      card: async () => {
        const c = await onStep('3b', false, (at, today) => [
          {
            command: {
              type: 'record-meeting',
              meeting: 'cooperation-meeting',
              heldOn: today,
              parents: 'both',
              services: at.currentStep!.services,
              conclusions: 'Referat.',
              signByOwner: true,
            },
          },
        ]);
        return card(c, 'sign-meeting', c.meetings.at(-1)!.id);
      },
    },
    { verb: 'case.goal', button: 'Lagre målet', inputs: { text: 'Et mål' }, card: async () => card(await onStep('2b', false), 'goal') },
    {
      verb: 'case.action',
      button: 'Lagre tiltaket',
      inputs: { what: 'Et tiltak' },
      card: async () => card(await onStep('2b', false), 'action'),
    },
    {
      verb: 'case.action-done',
      button: 'Marker som utført',
      card: async () => {
        const c = await onStep('2b', false, (_c, today) => [
          { command: { type: 'add-action', action: { what: 'Et tiltak', who: { kind: 'parents' }, dueOn: today } } },
        ]);
        return card(c, 'action-done', c.actions.find((a) => a.done === null)!.id);
      },
    },
    {
      verb: 'case.action-edit',
      button: 'Lagre endringen',
      card: async () => {
        const c = await onStep('2b', false, (_c, today) => [
          { command: { type: 'add-action', action: { what: 'Et tiltak', who: { kind: 'parents' }, dueOn: today } } },
        ]);
        return card(c, 'action-edit', c.actions.find((a) => a.done === null)!.id);
      },
    },
    {
      verb: 'case.voice',
      button: 'Lagre barnets stemme',
      inputs: { text: 'Vil leke.' },
      card: async () => card(await onStep('2b', false), 'voice'),
    },
    {
      verb: 'case.reschedule',
      button: 'Flytt datoen',
      inputs: { reason: 'Ferie.' },
      card: async () => card(await onStep('2b', false), 'reschedule'),
    },
    {
      verb: 'case.withdraw-request',
      button: 'Trekk tilbake forespørselen',
      card: async () =>
        card(
          await onStep('2b', true, (_c, today) => [
            { command: { type: 'record-evaluation', outcome: 'b' } },
            { command: consent(today) },
            { command: { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } } },
          ]),
          'case',
        ),
    },
    {
      verb: 'case.close',
      button: 'Avslutt saken',
      inputs: { reason: 'resolved' },
      card: async () => card(await onStep('2a', false), 'close'),
    },
    {
      verb: 'case.reopen',
      button: 'Gjenåpne saken',
      card: async () => card(await onStep('2a', false, () => [{ command: { type: 'close-case', reason: 'resolved' } }]), 'close'),
    },
    {
      verb: 'ladder.enter',
      button: 'Start trinnet',
      inputs: { bothParentsInvited: 'true' },
      card: async () => card(await onStep('1', true, () => [{ command: { type: 'record-evaluation', outcome: 'b' } }]), 'next-step'),
    },
    {
      verb: 'ladder.request',
      button: 'Send til Per Hansen',
      inputs: { services: 'ppt', parentsParticipate: 'true' },
      card: async () =>
        card(
          await onStep('2b', true, (_c, today) => [{ command: { type: 'record-evaluation', outcome: 'b' } }, { command: consent(today) }]),
          'next-step',
        ),
    },
    {
      verb: 'consent.record',
      button: 'Registrer samtykke',
      inputs: { givenBy: 'mother', services: 'ppt', purpose: 'Samarbeid', childOfAge: 'no' },
      card: async () => card(await onStep('2b', false), 'consent'),
    },
    {
      verb: 'consent.refuse',
      button: 'Foreldrene sier nei',
      inputs: { givenBy: 'mother', services: 'ppt' },
      card: async () => card(await onStep('2b', false), 'consent'),
    },
    {
      verb: 'consent.withdraw',
      button: 'Trekk tilbake nå',
      inputs: { by: 'mother' },
      card: async () => {
        const c = await onStep('3b', false);
        const consentCard = await show(kari, c.id, 'consent');
        return { code: c.id, card: lastCard(await kari.press(consentCard, 'Trekk tilbake'))! };
      },
    },
    {
      verb: 'baton.offer',
      button: 'Tilby saken',
      inputs: { to: users.nina.aadObjectId },
      card: async () => card(await onStep('2a', false), 'handover'),
    },
    {
      verb: 'baton.withdraw',
      button: 'Trekk tilbake tilbudet til Nina Lund',
      card: async () => card(await onStep('2a', false, () => [{ command: { type: 'hand-over', to: PEOPLE.nina } }]), 'case'),
    },
    {
      verb: 'baton.reassign',
      button: 'Tilby saken til en annen',
      inputs: { to: users.nina.aadObjectId },
      card: async () => {
        const c = await onStep('2b', false);
        return {
          code: c.id,
          by: per,
          card: lastCard(await per.submitRaw({ verb: 'leader.reassign-form', caseId: c.id, unitId: SOLSIKKEN }))!,
        };
      },
    },
    {
      verb: 'team.bring',
      button: 'Meld inn',
      inputs: { mode: 'anonymous', questionId: 'further-measures' },
      card: async () => {
        const start = lastCard(await lise.say('ny sak'));
        const zone = await lise.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' });
        const caseId = /UR-[0-9A-Z]{4}/.exec(allText(zone))![0];
        return { code: caseId, unitId: BJORKELANGEN, by: lise, card: await show(lise, caseId, 'team', undefined, BJORKELANGEN) };
      },
    },
  ];

  it('has a row for every verb whose card carries the case’s version', () => {
    const refs = {
      caseId: 'UR-7K4Q',
      unitId: SOLSIKKEN,
      rev: '"x"',
      escalationId: 'esc-1',
      consentId: 'consent-1',
      teamId: 't',
      meetingId: 'm',
      colleagueId: 'c',
    };
    const withRev = Object.entries(submitSamples(refs))
      .filter(([, sample]) => 'rev' in sample)
      .map(([verb]) => verb)
      .sort();
    assert.deepEqual(ROWS.map((row) => row.verb).sort(), withRev);
  });

  for (const row of ROWS) {
    it(`${row.verb}: "${row.button}" on an old card ${row.stillApplies ? 'still records the report (rule 1)' : 'changes nothing and shows the case as it is'}`, async () => {
      const { code: caseId, unitId = SOLSIKKEN, card: old, by = unitId === SOLSIKKEN ? kari : lise } = await row.card();
      // The case changes under the card (from another device): a report, the one change every case takes in any state —
      // or, under the report card itself, a suspicion of violence or abuse (a report made since the card was drawn would be
      // the same report pressed twice, which is recorded once).
      const owner = (await readCase(running, caseId, unitId)).owner;
      const changed = await running.laget.services.cases.execute(
        { actor: owner, correlationId: randomUUID(), now: clock },
        { caseId, unitId },
        row.stillApplies
          ? { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: true } }
          : { type: 'report-to-child-welfare', leaderInvolved: false },
      );
      assert.equal(changed.kind, 'done');
      const before = await readCase(running, caseId, unitId);
      const replies = await by.press(old, row.button, row.inputs ?? {});
      const after = await readCase(running, caseId, unitId);
      if (row.stillApplies) {
        assert.equal(after.reports.length, before.reports.length + 1, 'the report is recorded at once');
        return;
      }
      assert.match(allText(replies), STALE, allText(replies));
      assert.equal(after.events.length, before.events.length, 'the old card changed nothing');
    });
  }
});
