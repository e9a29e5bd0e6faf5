import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { z } from 'zod';
import { ExecutePayloads, parsePayload, Payloads, type ExecuteVerb, type Verb } from '../../src/cards/payloads';
import type { ContainerName } from '../../src/store/containers';
import { CaseRepository } from '../../src/store/case-repository';
import { execute, message, submit, users, type Activity, type TestUser } from '../support/activities';
import { accessFixtureCase } from '../support/access-fixture';
import { syntheticCaseCode } from '../support/case-codes';
import { startTestLaget, type Running } from '../support/laget';
import { executeSamples, submitSamples, type SampleRefs } from '../support/payload-samples';
import { startGreyZoneCase } from '../support/uro-walk';

/**
 * Hostile input at /api/messages, through real HTTP: malformed activities, mutations of real card
 * payloads for every verb, and invokes. Whatever arrives, Laget never answers with a 5xx, an invalid
 * payload never changes a case (nor a job or a team: the documents are hashed before and after),
 * and the process stays healthy.
 */

const RUNS = { activities: 1200, payloads: 1500, invokes: 500 };
// Stable across runs; FUZZ_SEED=<n> npm test replays another one.
const SEED = Number(process.env.FUZZ_SEED ?? 20260302);

/** Values a forged or broken client might put anywhere. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(''),
  fc.constant(' '),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant('x'.repeat(30_000)),
  fc.constant('01020312345'),
  fc.constant("' OR 1=1 --"),
  fc.constant('SELECT * FROM c'),
  fc.constant('<script>alert(1)</script>'),
  fc.constant('${7*7}'),
  fc.constant('UR-0000'),
  fc.constant('UR-7K4Q/../../dbs'),
  fc.constant('2026-02-30'),
  fc.constant('true'),
  fc.constant('\u0000\u202e\ud800'),
  fc.constant({ $ne: null }),
  fc.constant({ __proto__: { admin: true } }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

/** Keys a forger would try, and random ones. */
const extraKey = fc.oneof(
  fc.constantFrom(
    'ownerId',
    'approverId',
    'actor',
    'from',
    'aadObjectId',
    'id',
    '_etag',
    'ttl',
    'status',
    '__proto__',
    'constructor',
    'prototype',
    'msteams',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);

type Mutation =
  | { kind: 'drop'; index: number }
  | { kind: 'set'; index: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'verb'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), index: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant('add' as const), key: extraKey, value: junk }),
  fc.record({
    kind: fc.constant('verb' as const),
    value: fc.oneof(
      junk,
      fc.constantFrom(...Object.keys(Payloads)).map((v) => `${v} `),
      fc.constantFrom(...Object.keys(Payloads)),
    ),
  }),
);

/** Sets a key as an own, enumerable property, even "__proto__", so that it is really sent. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutate(sample: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sample)) define(out, key, value);
  for (const m of mutations) {
    const keys = Object.keys(out);
    if (m.kind === 'drop' && keys.length > 0) delete out[keys[m.index % keys.length]!];
    else if (m.kind === 'set' && keys.length > 0) define(out, keys[m.index % keys.length]!, m.value);
    else if (m.kind === 'add') define(out, m.key, m.value);
    else if (m.kind === 'verb') define(out, 'verb', m.value);
  }
  return out;
}

/** Would Laget's own parser accept this submit? (Only invalid payloads are thrown at it here.) */
function acceptedSubmit(value: Record<string, unknown>): boolean {
  const verb = value.verb;
  if (typeof verb !== 'string' || !Object.hasOwn(Payloads, verb)) return false;
  return parsePayload(Payloads[verb as Verb] as z.ZodType<unknown>, value).ok;
}

describe('hostile input at /api/messages (fast-check)', function () {
  this.timeout(120_000);
  let running: Running;
  let refs: SampleRefs;
  let escalationRefs: SampleRefs;

  before(async () => {
    running = await startTestLaget();
    // A case of Kari's in the URO flow (a valid part A would change it) …
    const { code, partA } = await startGreyZoneCase(running);
    const rev = String((JSON.stringify(partA).match(/"rev":"([^"]+)"/) ?? [])[1]);
    assert.ok(rev !== 'undefined', 'the part A card carries the case’s ETag');
    refs = {
      caseId: code,
      unitId: 'solsikken-barnehage',
      rev,
      escalationId: 'esc-1',
      consentId: 'consent-1',
      teamId: 'solsikken-tverrfaglig',
      meetingId: '2026-03-04-1400',
      colleagueId: users.nina.aadObjectId,
    };
    // … and one waiting for Per's approval (a valid approve would decide it).
    const fixture = accessFixtureCase(syntheticCaseCode(1, 'FZ'));
    const saved = await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(fixture.case);
    escalationRefs = { ...refs, caseId: fixture.case.id, unitId: fixture.case.unitId, rev: saved.etag };
  });
  after(async () => running.stop());

  /** A digest of every case, job, team and person document (ETags included): any write changes it. */
  async function state(containers: readonly ContainerName[] = ['cases', 'jobs', 'teams', 'people']): Promise<string> {
    const hash = createHash('sha256');
    for (const name of containers) {
      const { resources } = await running.laget.store.containers[name].items.query<{ id: string }>('SELECT * FROM c').fetchAll();
      hash.update(JSON.stringify(resources.sort((a, b) => String(a.id).localeCompare(String(b.id)))));
    }
    return hash.digest('hex');
  }

  /** The people who click in these tests have used Laget before, so remembering them writes nothing. */
  async function everyoneHasSaidHello(): Promise<void> {
    for (const user of [users.kari, users.per, users.tor, users.ola])
      assert.equal(await post(message(running.connector.url, user, 'hjelp')), 200);
  }

  async function post(body: unknown): Promise<number> {
    const response = await fetch(`${running.laget.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('has a valid sample for every card verb, to mutate from', () => {
    const samples = submitSamples(refs);
    for (const verb of Object.keys(Payloads) as Verb[]) {
      assert.ok(samples[verb], `no fuzz sample for the verb "${verb}": add one in test/support/payload-samples.ts`);
      const parsed = parsePayload(Payloads[verb] as z.ZodType<unknown>, samples[verb]);
      assert.ok(parsed.ok, `the sample for "${verb}" is not valid: ${parsed.ok ? '' : parsed.fields.join(', ')}`);
    }
    const executes = executeSamples(escalationRefs);
    for (const verb of Object.keys(ExecutePayloads) as ExecuteVerb[]) {
      assert.ok(
        parsePayload(ExecutePayloads[verb] as z.ZodType<unknown>, executes[verb]).ok,
        `the Action.Execute sample for "${verb}" is not valid`,
      );
    }
  });

  it('answers malformed activities without a 5xx and without changing any case', async () => {
    // A mutated activity may still be a well-formed one from a new person (who is then remembered),
    // so people are checked by shape here; cases, jobs and teams must not change at all.
    const before = await state(['cases', 'jobs', 'teams']);
    const url = running.connector.url;
    const bases: Activity[] = [
      message(url, users.kari, 'hjelp'),
      submit(url, users.kari, { verb: 'welcome.show' }),
      execute(url, users.per, 'approval.refresh', { caseId: 'UR-7K4Q', unitId: 'solsikken-barnehage', escalationId: 'esc-1' }),
      { ...message(url, users.kari, ''), type: 'invoke', name: 'composeExtension/query', value: {} },
      { ...message(url, users.kari, ''), type: 'conversationUpdate', membersAdded: [{ id: '28:laget-bot' }] },
    ];
    // serviceUrl only ever turns into something that is not a URL: a valid one elsewhere would send replies there.
    const fields = [
      'type',
      'id',
      'channelId',
      'conversation',
      'from',
      'recipient',
      'text',
      'name',
      'value',
      'entities',
      'channelData',
      'attachments',
      'locale',
      'timestamp',
      'replyToId',
      'membersAdded',
      'serviceUrl',
    ];
    const activityMutation = fc.oneof(
      fc.record({ field: fc.constantFrom(...fields.filter((f) => f !== 'serviceUrl')), value: junk, drop: fc.boolean() }),
      fc.record({
        field: fc.constant('serviceUrl'),
        value: fc.constantFrom('', 'not a url', 42, null, 'http://', '//'),
        drop: fc.boolean(),
      }),
      fc.record({
        field: fc.constantFrom('conversation', 'from', 'recipient', 'channelData', 'value'),
        value: fc.dictionary(
          fc.constantFrom('id', 'tenantId', 'conversationType', 'aadObjectId', 'name', 'tenant', 'action', 'verb', 'data'),
          junk,
          { maxKeys: 3 },
        ),
        drop: fc.constant(false),
      }),
    );
    const whole = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc.constantFrom('', '{', 'null', '[]', '{"type":"message"', '\u0000', 'x'.repeat(300_000)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          {
            weight: 5,
            arbitrary: fc.record({
              base: fc.nat({ max: bases.length - 1 }),
              mutations: fc.array(activityMutation, { minLength: 1, maxLength: 4 }),
            }),
          },
          { weight: 1, arbitrary: whole },
        ),
        async (input) => {
          let body: unknown = input;
          if (typeof input !== 'string') {
            const activity = structuredClone(bases[input.base]!) as Record<string, unknown>;
            activity.id = `fuzz-${Math.random()}`;
            for (const m of input.mutations) {
              if (m.drop) delete activity[m.field];
              else define(activity, m.field, m.value);
            }
            body = activity;
          }
          const status = await post(body);
          assert.ok(status < 500, `answered ${status} to ${JSON.stringify(body).slice(0, 500)}`);
        },
      ),
      { numRuns: RUNS.activities, seed: SEED, endOnFailure: true },
    );
    assert.equal(await state(['cases', 'jobs', 'teams']), before, 'a malformed activity changed a case, a job or a team');
    const { resources: documents } = await running.laget.store.containers.people.items
      .query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    const people = documents.filter((d) => 'personalChat' in d); // beside them: the units' rosters
    const junkIds = people.map((p) => String(p.userId)).filter((id) => !/^[A-Za-z0-9][A-Za-z0-9:._@-]*$/.test(id));
    assert.deepEqual(junkIds, [], 'a person was stored under an id no Teams user has');
  });

  it('refuses every mutation of a real card payload that its schema refuses, changing nothing', async () => {
    const samples = submitSamples(refs);
    const verbs = Object.keys(Payloads) as Verb[];
    await everyoneHasSaidHello();
    const before = await state();
    let thrown = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...verbs),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<TestUser>(users.kari, users.per, users.tor),
        async (verb, mutations, user) => {
          const value = mutate(samples[verb] ?? { verb }, mutations);
          fc.pre(!acceptedSubmit(value));
          thrown += 1;
          const status = await post(submit(running.connector.url, user, value));
          assert.ok(status < 500, `answered ${status} to ${verb} ${JSON.stringify(value).slice(0, 300)}`);
          assert.equal(await state(), before, `an invalid "${verb}" payload changed the store: ${JSON.stringify(value).slice(0, 300)}`);
        },
      ),
      { numRuns: RUNS.payloads, seed: SEED, endOnFailure: true },
    );
    assert.ok(thrown > RUNS.payloads * 0.8, `only ${thrown} invalid payloads were thrown`);
  });

  it('refuses invalid Action.Execute invokes, changing nothing, whoever sends them', async () => {
    const samples = executeSamples(escalationRefs);
    await everyoneHasSaidHello();
    const before = await state();
    const names = fc.constantFrom(
      'adaptiveCard/action',
      'adaptiveCard/action',
      'adaptiveCard/action',
      'task/fetch',
      'composeExtension/submitAction',
      'signin/verifyState',
      'fileConsent/invoke',
      'actionableMessage/executeAction',
      'config/fetch',
      '',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(ExecutePayloads) as ExecuteVerb[])),
        fc.array(
          mutation.filter((m) => m.kind !== 'verb'),
          { minLength: 1, maxLength: 3 },
        ),
        fc.record({
          name: names,
          verb: fc.oneof(fc.constant(undefined), junk),
          trigger: fc.constantFrom('manual', 'automatic', 'junk', undefined),
          user: fc.constantFrom<TestUser>(users.per, users.kari, users.ola),
        }),
        async (verb, mutations, shape) => {
          const data = mutate(samples[verb], mutations);
          const executeVerb = shape.verb === undefined ? verb : shape.verb;
          fc.pre(
            !(
              shape.name === 'adaptiveCard/action' &&
              typeof executeVerb === 'string' &&
              Object.hasOwn(ExecutePayloads, executeVerb) &&
              parsePayload(ExecutePayloads[executeVerb as ExecuteVerb] as z.ZodType<unknown>, data).ok
            ),
          );
          const activity = execute(running.connector.url, shape.user, verb, data, { trigger: shape.trigger as 'manual' | undefined });
          activity.name = shape.name;
          (activity.value as { action: Record<string, unknown> }).action.verb = executeVerb;
          const status = await post(activity);
          assert.ok(status < 500, `answered ${status} to ${JSON.stringify(activity.value).slice(0, 300)}`);
          assert.equal(await state(), before, `an invalid invoke changed the store: ${JSON.stringify(activity.value).slice(0, 300)}`);
        },
      ),
      { numRuns: RUNS.invokes, seed: SEED, endOnFailure: true },
    );
  });

  it('is still healthy and ready afterwards', async () => {
    assert.equal((await fetch(`${running.laget.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${running.laget.url}/readyz`)).status, 200);
    // And still does its work: a valid submit goes through.
    const status = await post(message(running.connector.url, users.kari, 'hjelp'));
    assert.equal(status, 200);
  });
});
