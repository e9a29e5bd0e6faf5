import assert from 'node:assert/strict';
import type { z } from 'zod';
import { ExecutePayloads, parsePayload, Payloads, type ExecuteVerb, type Verb } from '../../src/cards/payloads';
import { executeSamples, submitSamples, type SampleRefs } from '../support/payload-samples';

/**
 * Card data is never trusted: a field a card does not send (an approver's id, an owner, a status)
 * is refused by name, for every verb. The fuzz test throws mutations at the running bot; this
 * pins the property itself, so a schema that loses `.strict()` fails here.
 */

const refs: SampleRefs = {
  caseId: 'UR-7K4Q',
  unitId: 'solsikken-barnehage',
  rev: '"00000000-0000-0000-0000-000000000000"',
  escalationId: 'esc-1',
  consentId: 'consent-1',
  teamId: 'solsikken-tverrfaglig',
  meetingId: '2026-03-04-1400',
  colleagueId: 'aad-nina',
};

describe('card payload schemas', () => {
  const submits = submitSamples(refs);
  const executes = executeSamples(refs);
  const cases: Array<[string, z.ZodType<unknown>, Record<string, unknown>]> = [
    ...(Object.keys(Payloads) as Verb[]).map((verb): [string, z.ZodType<unknown>, Record<string, unknown>] => [
      `submit ${verb}`,
      Payloads[verb] as z.ZodType<unknown>,
      submits[verb],
    ]),
    ...(Object.keys(ExecutePayloads) as ExecuteVerb[]).map((verb): [string, z.ZodType<unknown>, Record<string, unknown>] => [
      `execute ${verb}`,
      ExecutePayloads[verb] as z.ZodType<unknown>,
      executes[verb],
    ]),
  ];

  for (const [name, schema, sample] of cases) {
    it(`${name}: accepts what its card sends and refuses a forged field by name`, () => {
      assert.ok(parsePayload(schema, sample).ok, 'the sample is what the card sends');
      const forged = parsePayload(schema, { ...sample, approverId: 'aad-per' });
      assert.deepEqual(forged.ok ? [] : forged.fields, ['approverId']);
    });
  }
});
