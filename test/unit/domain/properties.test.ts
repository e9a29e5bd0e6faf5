import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CaseSchema, type Case } from '../../../src/domain/case';
import type { Command } from '../../../src/domain/commands';
import { consentCoverage } from '../../../src/domain/consent';
import { decide } from '../../../src/domain/decide';
import { buildScenarioCase, ehStage1Script, type ScenarioId } from '../../../src/domain/fixtures/scenarios';
import { daysAfter, runScript } from '../../../src/domain/fixtures/script';
import { findStep, stepRequires } from '../../../src/domain/ladder-steps';
import type { PersonRef } from '../../../src/domain/primitives';
import { PARENT_CONVERSATION_NOTE_KINDS } from '../../../src/domain/records';
import { dayOf } from '../../../src/domain/time';
import { AH, anne, kari, lise, nina, ola, per, stranger, T0 } from './support';

/**
 * Random sequences of commands by random actors, from random starting cases. Whatever happens,
 * the rules hold: no sharing step without consent, no approval step without the designated
 * leader's approval, exactly one owner, a report never refused to the owner, no parent
 * conversation once violence or abuse is suspected, nothing but reports on a closed case.
 */

/** 'natural': whoever the command is meant for (the owner, the leader for decisions, the offered holder for answers). */
type ActorPick = 'natural' | 'owner' | 'leader' | 'recipient' | PersonRef;
type Intent =
  | { k: 'zone'; zoneId: string }
  | { k: 'partA' | 'partB' | 'partC' | 'report' | 'acute' | 'accept' | 'decline' | 'withdrawHandover' | 'withdrawEscalation' | 'close' }
  | { k: 'safety'; violence: boolean; danger: boolean }
  | { k: 'start'; note: boolean; goals: boolean }
  | { k: 'evaluate'; outcome: 'a' | 'b' }
  | { k: 'enter' | 'escalate'; attest: boolean; services: string[]; consented: boolean; coordinator: boolean }
  | { k: 'decide'; approve: boolean; reason: boolean }
  | { k: 'consent'; services: string[]; teams: string[]; days: number }
  | { k: 'refuse'; services: string[] }
  | { k: 'withdrawConsent'; index: number }
  | { k: 'handOver'; to: PersonRef }
  | { k: 'reassign'; to: PersonRef }
  | { k: 'changeLeader'; to: PersonRef }
  | { k: 'note'; kind: string; services: string[]; parentsPresent: boolean }
  | { k: 'action'; service: string | null }
  | { k: 'team'; named: boolean };

const SERVICES = ['ppt', 'helsestasjon', 'barnevern'];
const services = fc.subarray(SERVICES);
const person = fc.constantFrom<PersonRef>(kari, per, anne, lise, ola, nina, stranger);
const actor: fc.Arbitrary<ActorPick> = fc.oneof(
  { arbitrary: fc.constant<ActorPick>('natural'), weight: 12 },
  { arbitrary: fc.constant<ActorPick>('owner'), weight: 1 },
  { arbitrary: fc.constant<ActorPick>('leader'), weight: 1 },
  { arbitrary: fc.constant<ActorPick>('recipient'), weight: 1 },
  { arbitrary: person, weight: 2 },
);
const intent: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({ k: fc.constant('zone' as const), zoneId: fc.constantFrom('grey', 'great', 'acute', 'nope') }),
  fc.constantFrom<Intent>(
    { k: 'partA' },
    { k: 'partB' },
    { k: 'partC' },
    { k: 'report' },
    { k: 'acute' },
    { k: 'accept' },
    { k: 'decline' },
    { k: 'withdrawHandover' },
    { k: 'withdrawEscalation' },
    { k: 'close' },
  ),
  fc.record({ k: fc.constant('safety' as const), violence: fc.boolean(), danger: fc.boolean() }),
  fc.record({ k: fc.constant('start' as const), note: fc.boolean(), goals: fc.boolean() }),
  { arbitrary: fc.record({ k: fc.constant('evaluate' as const), outcome: fc.constantFrom<'a' | 'b'>('a', 'b') }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constantFrom('enter' as const, 'escalate' as const), attest: fc.boolean(), services, consented: fc.boolean(), coordinator: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('decide' as const), approve: fc.boolean(), reason: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('consent' as const), services, teams: fc.subarray(['team-a']), days: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 60, max: 400 })) }), weight: 2 },
  fc.record({ k: fc.constant('refuse' as const), services }),
  fc.record({ k: fc.constant('withdrawConsent' as const), index: fc.nat(3) }),
  fc.record({ k: fc.constant('handOver' as const), to: person }),
  fc.record({ k: fc.constant('reassign' as const), to: person }),
  fc.record({ k: fc.constant('changeLeader' as const), to: person }),
  fc.record({
    k: fc.constant('note' as const),
    kind: fc.constantFrom(...PARENT_CONVERSATION_NOTE_KINDS, 'observation', 'internal'),
    services,
    parentsPresent: fc.boolean(),
  }),
  fc.record({ k: fc.constant('action' as const), service: fc.option(fc.constantFrom(...SERVICES), { nil: null }) }),
  fc.record({ k: fc.constant('team' as const), named: fc.boolean() }),
);
const move = fc.record({ intent, actor, days: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 2 }), weight: 3 }, fc.integer({ min: 3, max: 30 })) });

function resolveActor(pick: ActorPick, intent: Intent, c: Case | null): PersonRef {
  if (pick === 'natural') {
    if (intent.k === 'decide' || intent.k === 'reassign') return resolveActor('leader', intent, c);
    if (intent.k === 'accept' || intent.k === 'decline') return resolveActor('recipient', intent, c);
    return resolveActor('owner', intent, c);
  }
  if (pick === 'owner') return c?.owner ?? kari;
  if (pick === 'leader') return c?.nearestLeader ?? per;
  if (pick === 'recipient') return c?.pendingHandover?.to ?? anne;
  return pick;
}

function toCommand(i: Intent, c: Case | null, now: Date): Command {
  const today = dayOf(now);
  const later = (days: number) => dayOf(daysAfter(now, days));
  const target = c?.proposedStepId ?? c?.currentStep?.stepId ?? '2b';
  switch (i.k) {
    case 'zone':
      return { type: 'place-in-zone', zoneId: i.zoneId };
    case 'partA':
      return { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } };
    case 'partB':
      return { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei', plannedOn: later(2) } };
    case 'partC':
      return { type: 'record-part-c', answers: { heldOn: today, howItWent: 'Greit.' } };
    case 'report':
      return { type: 'report-to-child-welfare', leaderInvolved: false };
    case 'acute':
      return { type: 'mark-acute-danger', contacted: ['police'] };
    case 'accept':
      return { type: 'accept-handover' };
    case 'decline':
      return { type: 'decline-handover' };
    case 'withdrawHandover':
      return { type: 'withdraw-handover' };
    case 'withdrawEscalation':
      return { type: 'withdraw-escalation', escalationId: c?.escalations.at(-1)?.id ?? 'esc-1' };
    case 'close':
      return { type: 'close-case', reason: 'other' };
    case 'safety':
      return { type: 'record-safety-answers', safety: { dangerNow: i.danger, suspectedViolenceOrAbuse: i.violence } };
    case 'start':
      return {
        type: 'start-ladder',
        goals: i.goals ? [{ text: 'Mål', targetOn: later(20) }] : [],
        actions: [],
        parentNote: i.note ? { heldOn: today, text: 'Samtale med foreldrene.' } : undefined,
      };
    case 'evaluate':
      return { type: 'record-evaluation', outcome: i.outcome };
    case 'enter':
    case 'escalate':
      return {
        type: i.k === 'enter' ? 'enter-step' : 'request-escalation',
        stepId: target,
        services: i.consented ? (c?.consents.filter((r) => r.kind === 'given').at(-1)?.services ?? i.services) : i.services,
        attestations: i.attest ? { bothParentsInvited: true, parentsParticipate: true } : {},
        coordinator: i.coordinator ? nina : undefined,
      };
    case 'decide':
      return {
        type: 'decide-escalation',
        escalationId: c?.escalations.at(-1)?.id ?? 'esc-1',
        decision: i.approve ? 'approve' : 'reject',
        reason: i.reason ? 'Vent litt.' : undefined,
      };
    case 'consent':
      return { type: 'record-consent', givenBy: ['mother'], services: i.services, teams: i.teams, purpose: 'Samarbeid.', givenOn: today, validUntil: later(i.days) };
    case 'refuse':
      return { type: 'record-consent-refusal', refusedBy: ['father'], services: i.services, teams: [], refusedOn: today };
    case 'withdrawConsent':
      return { type: 'withdraw-consent', consentId: `consent-${i.index + 1}`, by: ['mother'] };
    case 'handOver':
      return { type: 'hand-over', to: i.to };
    case 'reassign':
      return { type: 'reassign-owner', to: i.to };
    case 'changeLeader':
      return { type: 'change-nearest-leader', to: i.to };
    case 'note':
      return {
        type: 'add-note',
        kind: i.kind as Extract<Command, { type: 'add-note' }>['kind'],
        text: 'Notat.',
        heldOn: today,
        services: i.services,
        parentsPresent: i.parentsPresent,
        signByOwner: true,
      };
    case 'action':
      return {
        type: 'add-action',
        action: { what: 'Tiltak', who: i.service === null ? { kind: 'parents' } : { kind: 'service', serviceId: i.service }, dueOn: later(10) },
      };
    case 'team':
      return { type: 'bring-to-team', teamId: 'team-a', mode: i.named ? 'named' : 'anonymous', question: 'Et nøytralt spørsmål.' };
  }
}

const PARENT_TALK = new Set<string>(PARENT_CONVERSATION_NOTE_KINDS);

/** Checks one accepted transition `before → after` made by `who` with `command` at `now`. */
function checkTransition(before: Case | null, after: Case, command: Command, who: PersonRef, now: Date): void {
  // Exactly one owner, never also the leader, never offered the case they already hold.
  assert.equal(typeof after.owner.id, 'string');
  assert.ok(!after.formerOwnerIds.includes(after.owner.id), 'the owner is also a former owner');
  assert.notEqual(after.pendingHandover?.to.id, after.owner.id);
  assert.notEqual(after.owner.id, after.nearestLeader.id, 'the owner is the leader');
  if (before !== null && before.owner.id !== after.owner.id) {
    const viaAccept = command.type === 'accept-handover' && who.id === before.pendingHandover?.to.id;
    const viaReassign = command.type === 'reassign-owner' && who.id === before.nearestLeader.id;
    assert.ok(viaAccept || viaReassign, `the owner changed through ${command.type} by ${who.id}`);
  }
  // A closed case takes nothing but reports.
  if (before?.status === 'closed') assert.ok(['report-to-child-welfare', 'mark-acute-danger'].includes(command.type), `${command.type} on a closed case`);

  const fresh = after.events.slice(before?.events.length ?? 0);
  for (const event of fresh) {
    if (event.type === 'step-entered') {
      const step = findStep(AH, event.stepId);
      assert.ok(step);
      // Rule 3: no sharing step without a consent that covers it at that moment.
      if (step.sharesWithServices !== null) {
        const entered = after.currentStep;
        assert.ok(entered && entered.stepId === step.id);
        assert.ok(entered.services.length >= step.sharesWithServices.minServices);
        assert.equal(consentCoverage(after.consents, entered, now).kind, 'covered', `entered ${step.id} without consent`);
        assert.ok(event.consentIds.length > 0);
      }
      // Rule 4: an approval step only after the designated leader approved.
      if (stepRequires(step, 'leader-approval')) {
        assert.equal(event.via, 'approval');
        assert.ok(before !== null && who.id === before.nearestLeader.id, 'approved by someone other than the designated leader');
        const escalation = after.escalations.find((e) => e.id === event.escalationId);
        assert.equal(escalation?.status, 'approved');
      }
      // Rule 2: no parent conversation once violence or abuse is suspected.
      if (before?.safety.suspectedViolenceOrAbuse) assert.ok(!step.talksToParents, `entered ${step.id} with violence suspected`);
    }
    if (before?.safety.suspectedViolenceOrAbuse) {
      assert.ok(!(event.type === 'note-added' && PARENT_TALK.has(event.noteKind)), 'a parent-conversation note with violence suspected');
      assert.ok(!(event.type === 'worry-form-recorded' && event.part !== 'A'), 'part B/C with violence suspected');
      const stayed = event.type === 'next-date-set' && event.kind === 'check-in' && after.currentStep;
      assert.ok(!(stayed && findStep(AH, stayed.stepId)?.talksToParents), 'kept contact with the parents with violence suspected');
    }
  }
}

type Start = ScenarioId | 'new' | 'stage-1' | 'pending-3b';
const STARTS: Start[] = ['new', 'new', 'stage-1', 'stage-1', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'pending-3b', 'pending-3b'];
const startCases = new Map<Start, Case>();

/** S2 after "not better", with consent for PPT and a request for 3b waiting for Per. */
function pending3b(): Case {
  const s2 = buildScenarioCase('S2');
  const at = new Date(Date.parse(s2.updatedAt) + 60_000);
  const today = dayOf(at);
  let c = decideOrFail(s2, { type: 'record-evaluation', outcome: 'b' }, kari, at);
  c = decideOrFail(c, { type: 'record-consent', givenBy: ['mother'], services: ['ppt'], teams: [], purpose: 'Samarbeid.', givenOn: today, validUntil: dayOf(daysAfter(at, 30)), signedFormArchivedAt: 'Arkivmappe for samtykker' }, kari, at);
  return decideOrFail(c, { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } }, kari, at);
}

function startCase(id: Start): { c: Case | null; now: Date } {
  if (id === 'new') return { c: null, now: T0 };
  if (!startCases.has(id)) {
    startCases.set(id, id === 'pending-3b' ? pending3b() : id === 'stage-1' ? runScript(AH, ehStage1Script()).case : buildScenarioCase(id));
  }
  const c = startCases.get(id) as Case;
  return { c, now: new Date(Date.parse(c.updatedAt) + 60_000) };
}

describe('random command sequences never break the rules', function () {
  this.timeout(120_000);
  /** What the random runs reached, so that the property is known to exercise the interesting paths. */
  const reached = new Set<string>();

  it('keeps every rule through any sequence of commands by any actor', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STARTS), fc.array(move, { minLength: 1, maxLength: 40, size: 'max' }), (start, moves) => {
        const initial = startCase(start);
        let c: Case | null = initial.c;
        let now: Date = initial.now;
        if (c === null) {
          c = decideOrFail(null, { type: 'create-case', caseId: 'UR-7K4Q', unitId: 'solsikken-barnehage', nearestLeader: per, alias: 'E.H.', safety: { dangerNow: false, suspectedViolenceOrAbuse: false } }, kari, now);
        }
        for (const m of moves) {
          now = daysAfter(now, m.days);
          const who = resolveActor(m.actor, m.intent, c);
          const command = toCommand(m.intent, c, now);

          // A report by the owner is never refused, whatever the state (checked without keeping it).
          assert.equal(decide(c, { type: 'report-to-child-welfare', leaderInvolved: false }, c.owner, now, AH).kind, 'accepted');
          const ownerId: string = c.owner.id;
          const notOwner = ownerId === stranger.id ? nina : stranger;
          const byOther = decide(c, { type: 'report-to-child-welfare', leaderInvolved: false }, notOwner, now, AH);
          assert.ok(byOther.kind === 'refused' && byOther.reason === 'not-owner');

          const before: string = JSON.stringify(c);
          const decision = decide(c, command, who, now, AH);
          if (decision.kind === 'refused') {
            assert.equal(JSON.stringify(c), before, 'a refusal changed the case');
            if (command.type === 'report-to-child-welfare' || command.type === 'mark-acute-danger') {
              assert.equal(decision.reason, 'not-owner', `report refused with ${decision.reason}`);
            }
            continue;
          }
          checkTransition(c, decision.case, command, who, now);
          reached.add(command.type);
          for (const event of decision.events) if (event.type === 'step-entered') reached.add(`${event.via}:${event.stepId}`);
          c = decision.case;
        }
        assert.ok(CaseSchema.safeParse(JSON.parse(JSON.stringify(c))).success, 'the case no longer parses');
      }),
      { numRuns: 400 },
    );
    for (const path of ['approval:3b', 'consent-refusal:4b', 'evaluation:2a', 'direct:2b', 'accept-handover', 'withdraw-consent', 'reassign-owner']) {
      assert.ok(reached.has(path), `the random runs never reached ${path}: ${[...reached].sort().join(' ')}`);
    }
  });
});

function decideOrFail(c: Case | null, command: Command, who: PersonRef, now: Date): Case {
  const decision = decide(c, command, who, now, AH);
  if (decision.kind === 'refused') throw new Error(decision.reason);
  return decision.case;
}
