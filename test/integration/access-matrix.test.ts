import assert from 'node:assert/strict';
import { authorize, CASE_OPERATIONS, type AccessBasis, type AccessDenial, type CaseOperation } from '../../src/domain/access';
import { PEOPLE } from '../../scripts/seed/scenarios';
import type { PersonRef } from '../../src/domain/primitives';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import type { CaseCommand, TurnContext } from '../../src/workflow/case-service';
import { accessFixtureCase, COVERED_TEAM, OTHER_TEAM } from '../support/access-fixture';
import { syntheticCaseCode } from '../support/case-codes';
import { users } from '../support/activities';
import { allText, Conversation } from '../support/conversation';
import { startTestLaget, type Running } from '../support/laget';
import { SOLSIKKEN, startGreyZoneCase } from '../support/uro-walk';

/**
 * Every role × every case operation, through the one path the bot uses (CaseService.open and
 * .execute) against the real store: allowed or refused exactly as the access policy
 * (src/domain/access.ts) says, and exactly one audit entry for each attempt.
 *
 * The expectations are written out by hand from the policy's own description, so that a change
 * of the policy fails here too, and they are checked against `authorize` so that a mismatch says
 * which of the two moved.
 */

type Role = { name: string; person: PersonRef; teamIds?: string[]; coordinator?: boolean };

const coordinator = { id: 'aad-coordinator', name: 'Kim Koordinator' };
const stranger = { id: 'aad-stranger', name: 'Sam Fremmed' };

const ROLES: Role[] = [
  { name: 'owner (Kari)', person: PEOPLE.kari },
  { name: 'former owner (Anne)', person: PEOPLE.anne },
  { name: 'nearest leader (Per)', person: PEOPLE.per },
  { name: 'other leader (Ola)', person: PEOPLE.ola },
  { name: 'team member with covering consent (Tor)', person: PEOPLE.tor, teamIds: [COVERED_TEAM] },
  { name: 'team member without covering consent (Lise)', person: PEOPLE.lise, teamIds: [OTHER_TEAM] },
  { name: 'coordinator', person: coordinator, coordinator: true },
  { name: 'stranger', person: stranger },
  { name: 'colleague offered the baton (Nina)', person: PEOPLE.nina },
];

type Expected = { allowed: AccessBasis } | { refused: AccessDenial };
const ok = (basis: AccessBasis): Expected => ({ allowed: basis });
const no = (reason: AccessDenial): Expected => ({ refused: reason });
const all = (e: Expected): Record<CaseOperation, Expected> =>
  Object.fromEntries(CASE_OPERATIONS.map((op) => [op, e])) as Record<CaseOperation, Expected>;
const notPermitted = no('operation-not-permitted');

/** The policy, as access.ts describes it. */
const EXPECTED: Record<string, Record<CaseOperation, Expected>> = {
  'owner (Kari)': {
    read: ok('owner'),
    change: ok('owner'),
    approve: notPermitted,
    reassign: notPermitted,
    export: ok('owner'),
    'respond-to-handover': notPermitted,
  },
  'former owner (Anne)': all(no('former-owner')),
  'nearest leader (Per)': {
    read: ok('leader'),
    change: notPermitted,
    approve: ok('leader'),
    reassign: ok('leader'),
    export: notPermitted,
    'respond-to-handover': notPermitted,
  },
  'other leader (Ola)': all(no('no-relation')),
  'team member with covering consent (Tor)': { ...all(notPermitted), read: ok('team-consent') },
  'team member without covering consent (Lise)': all(no('no-relation')),
  // The policy says "aggregates only" for a coordinator; a case operation is refused either way.
  coordinator: all(no('aggregates-only')),
  stranger: all(no('no-relation')),
  'colleague offered the baton (Nina)': { ...all(no('no-relation')), 'respond-to-handover': ok('handover-offer') },
};

/** A representative command for each operation that changes something (read and export are opens). */
function commandFor(operation: CaseOperation, today: string): CaseCommand | undefined {
  switch (operation) {
    case 'change':
      return { type: 'record-child-voice', text: 'Sa at hun var sliten om morgenen.', heardOn: today, how: 'said' };
    case 'approve':
      return { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' };
    case 'reassign':
      return { type: 'reassign-owner', to: PEOPLE.anne };
    case 'respond-to-handover':
      return { type: 'decline-handover' };
    default:
      return undefined;
  }
}

describe('the access matrix: every role × every case operation, through the case service', () => {
  let running: Running;
  let cases: CaseRepository;
  let audit: AuditLog;
  before(async () => {
    running = await startTestLaget();
    cases = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    audit = new AuditLog(running.laget.store.containers.audit);
  });
  after(async () => running.stop());

  it('has an expectation for every role and operation', () => {
    for (const role of ROLES) assert.deepEqual(Object.keys(EXPECTED[role.name]!).sort(), [...CASE_OPERATIONS].sort(), role.name);
  });

  let cell = 0;
  for (const role of ROLES) {
    describe(role.name, () => {
      for (const operation of CASE_OPERATIONS) {
        const expected = EXPECTED[role.name]![operation];
        const label = 'allowed' in expected ? `allowed (${expected.allowed})` : `refused (${expected.refused})`;
        it(`${operation}: ${label}, with exactly one audit entry`, async () => {
          cell += 1;
          const caseId = syntheticCaseCode(cell, 'XM', 5);
          const fixture = accessFixtureCase(caseId);
          const saved = await cases.create(fixture.case);
          const ref = { caseId, unitId: fixture.case.unitId };
          const ctx: TurnContext = {
            actor: role.person,
            correlationId: `matrix-${caseId}`,
            now: fixture.now,
            teamIds: role.teamIds ?? [],
            coordinator: role.coordinator ?? false,
          };

          // The hand-written table and the policy function agree.
          const policy = authorize(
            fixture.case,
            { id: role.person.id, teamIds: role.teamIds, coordinator: role.coordinator },
            operation,
            fixture.now,
          );
          assert.deepEqual(
            policy.kind === 'allowed' ? { allowed: policy.basis } : { refused: policy.reason },
            expected,
            'src/domain/access.ts no longer says what this table says',
          );

          const command = commandFor(operation, fixture.now.toISOString().slice(0, 10));
          const outcome = command
            ? await running.laget.services.cases.execute(ctx, ref, command)
            : await running.laget.services.cases.open(ctx, ref, operation);

          const stored = await cases.read(ref);
          if ('allowed' in expected) {
            assert.notEqual(outcome.kind, 'refused', `refused: ${outcome.kind === 'refused' ? outcome.reason : ''}`);
            if (command) assert.notEqual(stored!.etag, saved.etag, 'an allowed change is saved');
            else assert.equal(stored!.etag, saved.etag, 'a read changes nothing');
          } else {
            assert.equal(outcome.kind, 'refused');
            assert.equal(outcome.kind === 'refused' ? outcome.reason : undefined, expected.refused);
            assert.equal(stored!.etag, saved.etag, 'a refused attempt changes nothing');
          }

          const entries = await audit.forCase(caseId);
          assert.equal(entries.length, 1, `one audit entry, found ${entries.length}: ${JSON.stringify(entries)}`);
          const [entry] = entries;
          assert.equal(entry!.actorId, role.person.id);
          assert.equal(entry!.correlationId, ctx.correlationId);
          assert.equal(entry!.operation, operation);
          if ('allowed' in expected) {
            assert.equal(entry!.outcome, 'allowed');
            assert.equal(entry!.basis, expected.allowed);
          } else {
            assert.equal(entry!.outcome, 'refused');
            assert.equal(entry!.basis, 'none');
            assert.equal(entry!.reason, expected.refused);
          }
        });
      }
    });
  }
});

describe('a coordinator in the chat', () => {
  let running: Running;
  before(async () => {
    // The municipality names Tor a coordinator (tverrfaglig koordinator).
    running = await startTestLaget({}, {}, (config) => ({
      ...config,
      municipality: { ...config.municipality, coordinators: [{ id: users.tor.aadObjectId, name: users.tor.name }] },
    }));
  });
  after(async () => running.stop());

  it('is told that coordinators see figures only when they try to open a case, and the attempt is audited', async () => {
    const { code } = await startGreyZoneCase(running);
    const tor = new Conversation(running, users.tor);
    const replies = await tor.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'next' });
    assert.match(allText(replies), /Som koordinator ser du bare tall, ikke enkeltsaker/);
    const entries = (await new AuditLog(running.laget.store.containers.audit).forCase(code)).filter(
      (e) => e.actorId === users.tor.aadObjectId,
    );
    assert.deepEqual(
      entries.map((e) => [e.outcome, e.reason]),
      [['refused', 'aggregates-only']],
    );
  });
});
