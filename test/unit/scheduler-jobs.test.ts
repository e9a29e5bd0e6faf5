import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { MeetingSeriesSchema } from '../../src/domain/meeting-series';
import { projectRoot } from '../../src/paths';
import type { ChannelAddress, PersonalAddress } from '../../src/store/conversation-address';
import { JobSchema, isStale, newJob, type JobSpec } from '../../src/scheduler/job';
import { idPart, jobId } from '../../src/scheduler/job-id';
import { JsonObjectSchema } from '../../src/scheduler/json';
import { meetingJobSpecs } from '../../src/scheduler/meeting-jobs';

const channel: ChannelAddress = {
  kind: 'channel',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  conversationId: '19:solsikken@thread.tacv2',
  channelId: '19:solsikken@thread.tacv2',
  teamId: '19:solsikken@thread.tacv2',
};
const kari: PersonalAddress = { kind: 'personal', serviceUrl: channel.serviceUrl, conversationId: 'a:1kari' };

describe('scheduler jobs', () => {
  describe('job ids', () => {
    it('escapes a Teams id readably, so the id stays a valid Cosmos id', () => {
      assert.equal(jobId('team', '19:abc@thread.tacv2', '2026-03-31-0900', 'agenda'), 'team:19~3Aabc@thread.tacv2:2026-03-31-0900:agenda');
      assert.equal(jobId('case', 'a/b?c#d\\e', 'evaluation'), 'case:a~2Fb~3Fc~23d~5Ce:evaluation');
    });

    it('never contains / \\ ? # and never lets two different parts collide', () => {
      // Strings made of the characters that matter: the forbidden ones, the separator, the escape
      // character and what follows it, a non-ASCII letter, an emoji and a lone surrogate.
      const part = fc.string({
        unit: fc.constantFrom('/', '\\', '?', '#', ':', '~', 'u', 'h', '2', 'F', 'a', 'ø', '😀', '\uD800'),
        maxLength: 12,
      });
      fc.assert(
        fc.property(part, part, (a, b) => {
          assert.match(idPart(a), /^[A-Za-z0-9._@=~-]*$/);
          if (a !== b) assert.notEqual(idPart(a), idPart(b));
        }),
        { numRuns: 2000 },
      );
    });

    it('hashes a very long part so the id stays within 255 characters', () => {
      const long = `19:${'x'.repeat(400)}@thread.tacv2`;
      const id = jobId('team', long, 'agenda');
      assert.ok(id.length < 255);
      assert.equal(id, jobId('team', long, 'agenda'));
      assert.notEqual(id, jobId('team', `${long}y`, 'agenda'));
    });
  });

  describe('the job document', () => {
    const spec: JobSpec = {
      id: 'case:sak-1:evaluation:2026-03-10',
      kind: 'case.evaluation',
      dueAt: '2026-03-10T08:00:00.000Z',
      staleAfter: null,
      address: kari,
      params: { caseId: 'sak-1' },
    };

    it('starts pending, unclaimed and unsent', () => {
      const job = newJob(spec, new Date('2026-03-01T12:00:00.000Z'));
      const { state, claim, attempts, postStartedAt, sentAt, activityId, lastError, createdAt, schemaVersion } = job;
      assert.deepEqual(
        { state, claim, attempts, postStartedAt, sentAt, activityId, lastError, createdAt, schemaVersion },
        {
          state: 'pending',
          claim: null,
          attempts: 0,
          postStartedAt: null,
          sentAt: null,
          activityId: null,
          lastError: null,
          createdAt: '2026-03-01T12:00:00.000Z',
          schemaVersion: 1,
        },
      );
    });

    it('reads back from Cosmos with its system properties ignored', () => {
      const stored = { ...newJob(spec, new Date()), _etag: '"1"', _rid: 'x', _ts: 1 };
      assert.equal(JobSchema.parse(stored).id, spec.id);
    });

    it('refuses an id Cosmos cannot store, and an address without a conversation', () => {
      assert.equal(JobSchema.safeParse({ ...newJob(spec, new Date()), id: 'team:a/b' }).success, false);
      assert.throws(() => newJob({ ...spec, address: { ...kari, conversationId: '' } }, new Date()));
    });

    it('is stale from its staleAfter instant on, and never when it has none', () => {
      assert.equal(isStale({ staleAfter: '2026-03-10T08:00:00.000Z' }, new Date('2026-03-10T07:59:59.999Z')), false);
      assert.equal(isStale({ staleAfter: '2026-03-10T08:00:00.000Z' }, new Date('2026-03-10T08:00:00.000Z')), true);
      assert.equal(isStale({ staleAfter: null }, new Date('2099-01-01T00:00:00.000Z')), false);
    });
  });

  describe('jobs of a meeting series', () => {
    const series = MeetingSeriesSchema.parse({
      id: 'tverrfaglig-2026h',
      name: 'Tverrfaglig team',
      schedule: {
        kind: 'cadence',
        everyWeeks: 6,
        weekday: 'tuesday',
        start: '09:00',
        end: '10:30',
        from: '2026-08-18',
        until: '2026-12-22',
      },
    });
    const input = {
      teamId: channel.teamId!,
      series,
      channel,
      ownersOf: () => [{ personId: 'aad-kari', address: kari }],
    };

    it('names the same jobs whenever and wherever it is asked', () => {
      const monday = meetingJobSpecs({ ...input, now: new Date('2026-10-12T06:00:00.000Z') });
      const tuesday = meetingJobSpecs({ ...input, now: new Date('2026-10-13T06:00:00.000Z') });
      const shared = monday.map((spec) => spec.id).filter((id) => tuesday.some((other) => other.id === id));
      assert.ok(shared.length > 0);
      assert.ok(monday.every((spec) => spec.id.startsWith('team:19~3Asolsikken@thread.tacv2:tverrfaglig-2026h:')));
    });

    it('asks for every step not yet stale, the owner reminders in personal chat', () => {
      // Monday 26 October 2026, the day after the autumn change, 10:00 Oslo: the minutes of
      // 29 September went stale on 13 October; the meetings of 10 November and 22 December are ahead.
      const specs = meetingJobSpecs({ ...input, now: new Date('2026-10-26T09:00:00.000Z') });
      assert.deepEqual(
        specs.map((spec) => [spec.id.split(':').slice(3).join(':'), spec.dueAt, spec.address!.kind, spec.params.personId ?? null]),
        [
          ['2026-11-10-0900:call-for-cases', '2026-11-03T08:00:00.000Z', 'channel', null],
          ['2026-11-10-0900:owner-reminder:aad-kari', '2026-11-08T08:00:00.000Z', 'personal', 'aad-kari'],
          ['2026-11-10-0900:agenda', '2026-11-09T11:00:00.000Z', 'channel', null],
          ['2026-11-10-0900:minutes', '2026-11-10T09:30:00.000Z', 'channel', null],
          ['2026-12-22-0900:call-for-cases', '2026-12-15T08:00:00.000Z', 'channel', null],
          ['2026-12-22-0900:owner-reminder:aad-kari', '2026-12-20T08:00:00.000Z', 'personal', 'aad-kari'],
          ['2026-12-22-0900:agenda', '2026-12-21T11:00:00.000Z', 'channel', null],
          ['2026-12-22-0900:minutes', '2026-12-22T09:30:00.000Z', 'channel', null],
        ],
      );
    });

    it('leaves the chat of an owner reminder to the composer when it has none', () => {
      const specs = meetingJobSpecs({ ...input, ownersOf: () => [{ personId: 'aad-kari' }], now: new Date('2026-10-26T09:00:00.000Z') });
      assert.deepEqual(
        specs.filter((spec) => spec.kind === 'team.owner-reminder').map((spec) => spec.address),
        [null, null],
      );
    });
  });

  describe('every job of a spring half-year, across the change to summer time on Sunday 29 March 2026', () => {
    const spring = MeetingSeriesSchema.parse({
      id: 'tverrfaglig-2026v',
      name: 'Tverrfaglig team',
      schedule: {
        kind: 'cadence',
        everyWeeks: 6,
        weekday: 'tuesday',
        start: '09:00',
        end: '10:30',
        from: '2026-01-05',
        until: '2026-06-30',
      },
      rhythm: { avoidWeekends: true },
    });

    it('lists each message at its local Oslo time, whichever side of the change it falls on', () => {
      // Asked before the half-year starts: every job at once.
      const specs = meetingJobSpecs({
        teamId: channel.teamId!,
        series: spring,
        channel,
        ownersOf: () => [{ personId: 'aad-kari', address: kari }],
        now: new Date('2025-12-01T08:00:00.000Z'),
      });
      const listed = specs.map((spec) => [
        spec.id.split(':').slice(3).join(':'),
        DateTime.fromISO(spec.dueAt, { zone: 'Europe/Oslo' }).toFormat('ccc yyyy-MM-dd HH:mm', { locale: 'en' }),
        spec.dueAt,
      ]);
      assert.deepEqual(listed, [
        ['2026-01-06-0900:call-for-cases', 'Tue 2025-12-30 09:00', '2025-12-30T08:00:00.000Z'],
        ['2026-01-06-0900:owner-reminder:aad-kari', 'Fri 2026-01-02 09:00', '2026-01-02T08:00:00.000Z'],
        ['2026-01-06-0900:agenda', 'Mon 2026-01-05 12:00', '2026-01-05T11:00:00.000Z'],
        ['2026-01-06-0900:minutes', 'Tue 2026-01-06 10:30', '2026-01-06T09:30:00.000Z'],
        ['2026-02-17-0900:call-for-cases', 'Tue 2026-02-10 09:00', '2026-02-10T08:00:00.000Z'],
        ['2026-02-17-0900:owner-reminder:aad-kari', 'Fri 2026-02-13 09:00', '2026-02-13T08:00:00.000Z'],
        ['2026-02-17-0900:agenda', 'Mon 2026-02-16 12:00', '2026-02-16T11:00:00.000Z'],
        ['2026-02-17-0900:minutes', 'Tue 2026-02-17 10:30', '2026-02-17T09:30:00.000Z'],
        // The meeting two days after the change: call for cases and the owners' reminder (moved
        // off Sunday 29 March) still in winter time, agenda and minutes in summer time.
        ['2026-03-31-0900:call-for-cases', 'Tue 2026-03-24 09:00', '2026-03-24T08:00:00.000Z'],
        ['2026-03-31-0900:owner-reminder:aad-kari', 'Fri 2026-03-27 09:00', '2026-03-27T08:00:00.000Z'],
        ['2026-03-31-0900:agenda', 'Mon 2026-03-30 12:00', '2026-03-30T10:00:00.000Z'],
        ['2026-03-31-0900:minutes', 'Tue 2026-03-31 10:30', '2026-03-31T08:30:00.000Z'],
        ['2026-05-12-0900:call-for-cases', 'Tue 2026-05-05 09:00', '2026-05-05T07:00:00.000Z'],
        ['2026-05-12-0900:owner-reminder:aad-kari', 'Fri 2026-05-08 09:00', '2026-05-08T07:00:00.000Z'],
        ['2026-05-12-0900:agenda', 'Mon 2026-05-11 12:00', '2026-05-11T10:00:00.000Z'],
        ['2026-05-12-0900:minutes', 'Tue 2026-05-12 10:30', '2026-05-12T08:30:00.000Z'],
        ['2026-06-23-0900:call-for-cases', 'Tue 2026-06-16 09:00', '2026-06-16T07:00:00.000Z'],
        ['2026-06-23-0900:owner-reminder:aad-kari', 'Fri 2026-06-19 09:00', '2026-06-19T07:00:00.000Z'],
        ['2026-06-23-0900:agenda', 'Mon 2026-06-22 12:00', '2026-06-22T10:00:00.000Z'],
        ['2026-06-23-0900:minutes', 'Tue 2026-06-23 10:30', '2026-06-23T08:30:00.000Z'],
      ]);
    });
  });

  it('the scheduler imports neither botbuilder, teams-ai nor restify (the bot layer implements its port)', () => {
    const folder = join(projectRoot, 'src', 'scheduler');
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(folder, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
      for (const name of imports) {
        assert.ok(!/^(botbuilder|@microsoft\/teams-ai|restify)/.test(name), `${file} imports ${name}`);
        assert.ok(!/^\.\.\/(bot|http)\b/.test(name), `${file} imports ${name}`);
      }
    }
  });
});

describe('a job’s params', () => {
  it('are JSON that survives the store unchanged: anything else is refused before it is written', () => {
    const fine = { caseId: 'UR-7K4Q', n: 3, on: true, none: null, list: ['a', 1, { deep: [false] }] };
    assert.ok(JsonObjectSchema.safeParse(fine).success);
    fc.assert(fc.property(fc.jsonValue(), (value) => JsonObjectSchema.safeParse({ value }).success));
    for (const bad of [
      { at: new Date() },
      { n: Number.NaN },
      { n: Infinity },
      { gone: undefined },
      { f: () => 1 },
      [1, 2],
      'text',
      null,
      { big: 10n },
    ]) {
      assert.ok(
        !JsonObjectSchema.safeParse(bad).success,
        String(JSON.stringify(bad, (_k, v: unknown) => (typeof v === 'bigint' ? 'bigint' : v))),
      );
    }
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i += 1) deep = { deep };
    assert.ok(!JsonObjectSchema.safeParse(deep).success, 'deeper than any params Laget writes');
  });
});
