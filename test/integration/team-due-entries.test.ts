import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadMunicipality } from '../../src/config';
import { PEOPLE } from '../../scripts/seed/scenarios';
import { meetingsOf } from '../../src/domain/meeting-series';
import { loadLadder } from '../../src/domain/ladder';
import type { PersonRef } from '../../src/domain/primitives';
import type { Team } from '../../src/domain/team';
import type { SeriesForm } from '../../src/domain/team-setup';
import { addDays, dayOf } from '../../src/domain/time';
import { createLogger } from '../../src/log';
import { JobSchema } from '../../src/scheduler/job';
import { JobStore } from '../../src/scheduler/job-store';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { openStore, type Store } from '../../src/store/cosmos';
import { SlotSchema } from '../../src/store/due-index';
import { StoreUnavailable } from '../../src/store/documents';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { PeopleRepository } from '../../src/store/people';
import { TeamRepository } from '../../src/store/teams';
import { CaseService } from '../../src/workflow/case-service';
import { TeamSchedule, ownersOf, teamJobSpecs } from '../../src/workflow/team-schedule';
import { TeamService, type TeamTurn } from '../../src/workflow/team-service';
import { UnfinishedWork } from '../../src/workflow/unfinished';

/**
 * A team's rhythm is jobs the moment the team or a meeting's record changes, through the team
 * service, in the same turn: a new series makes its meetings' jobs, a changed offset or date moves
 * them, a team Laget no longer serves takes them back, an item on a meeting makes its owner's
 * reminder (and taking the last one off takes it back). The jobs are read from the store — the
 * `jobs` container and the due index — never from the code that wrote them. The case side has the
 * same test (due-entries.test.ts).
 */

const log = createLogger('silent');
const TIME_ZONE = 'Europe/Oslo';
const { ola, kari, lise } = PEOPLE;
const TEAMS_TEAM_ID = '19:property-team@thread.tacv2';
const CHANNEL_ID = '19:property-general@thread.tacv2';
const municipality = loadMunicipality('config/municipality.local.json');

describe('due entries: a team’s meeting rhythm is jobs, kept equal to the team by the team service', function () {
  this.timeout(300_000);
  let server: EmbeddedCosmos;
  const stores: Store[] = [];
  let databases = 0;

  before(async () => {
    server = await startEmbeddedCosmos();
  });
  after(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await server.close();
  });

  /** A team service on a fresh database (everyone on the roster, nobody a unit leader), with a registered team; `jobsDown` fails every job write. */
  async function fresh(jobsDown = { value: false }) {
    databases += 1;
    const store = await openStore(
      { kind: 'remote', endpoint: server.endpoint, key: 'local', database: `laget-team-due-${databases}` },
      log,
    );
    stores.push(store);
    let clock = new Date('2026-03-02T08:00:00.000Z');
    const stored = new JobStore(store.containers);
    const down = () => {
      if (jobsDown.value) throw new StoreUnavailable('write a job', new Error('the jobs container does not answer'));
    };
    const jobs: Pick<JobStore, 'ensure' | 'move' | 'cancel'> = {
      ensure: async (job) => {
        down();
        return stored.ensure(job);
      },
      move: async (spec, now) => {
        down();
        return stored.move(spec, now);
      },
      cancel: async (id) => {
        down();
        return stored.cancel(id);
      },
    };
    const teams = new TeamRepository(store.containers.teams);
    const schedule = new TeamSchedule({ jobs, teams, now: () => clock });
    const unfinished = new UnfinishedWork(log);
    const caseRepository = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
    const audit = new AuditLog(store.containers.audit);
    const cases = new CaseService({
      cases: caseRepository,
      audit,
      ladder: loadLadder('aurskog-holand'),
      timeZone: TIME_ZONE,
      outbox: { enqueue: async () => ({ waiting: [] }) },
      log,
    });
    const service = new TeamService({
      teams,
      cases,
      roster: { isMember: async () => true },
      municipality,
      directory: { person: async () => undefined, unit: async () => undefined },
      timeZone: TIME_ZONE,
      log,
      minutes: {
        people: new PeopleRepository(store.containers.people),
        direct: { send: async () => ({ kind: 'sent' }) } as never,
      },
      counters: { apply: async () => undefined },
      unfinished,
      schedule,
    });
    const team = await service.register(
      { teamsTeamId: TEAMS_TEAM_ID, name: 'Tverrfaglig team', channel: { channelId: CHANNEL_ID, serviceUrl: 'https://smba.example/' } },
      clock,
    );
    let turns = 0;
    const turn = (actor: PersonRef): TeamTurn => ({
      actor,
      place: { kind: 'channel', teamsTeamId: TEAMS_TEAM_ID, channelId: CHANNEL_ID },
      correlationId: `turn-${(turns += 1)}`,
      now: clock,
    });
    return { store, service, teams, unfinished, teamId: team.teamId, turn, now: () => clock, setClock: (at: Date) => (clock = at) };
  }
  type Fresh = Awaited<ReturnType<typeof fresh>>;

  /** The team's jobs as the store holds them: pending and not yet stale, by id, with their due time. */
  async function pendingJobs(f: Fresh): Promise<Map<string, string>> {
    const { resources } = await f.store.containers.jobs.items
      .query({
        query: "SELECT * FROM c WHERE c.params.teamId = @id AND c.state = 'pending'",
        parameters: [{ name: '@id', value: f.teamId }],
      })
      .fetchAll();
    const now = f.now().toISOString();
    return new Map(
      resources
        .map((resource) => JobSchema.parse(resource))
        .filter((job) => job.staleAfter === null || job.staleAfter > now)
        .map((job) => [job.id, job.dueAt]),
    );
  }

  /** Every listing in the due index: job id → the due times it is listed under. */
  async function listings(store: Store): Promise<Map<string, string[]>> {
    const { resources } = await store.containers.due.items.query("SELECT * FROM c WHERE STARTSWITH(c.id, 'slot:')").fetchAll();
    const found = new Map<string, string[]>();
    for (const slot of resources.map((resource) => SlotSchema.parse(resource))) {
      for (const entry of Object.values(slot.entries)) found.set(entry.id, [...(found.get(entry.id) ?? []), entry.dueAt]);
    }
    return found;
  }

  /** The jobs the team and its meetings' records call for now: equal to the pending jobs in the store, each listed under its due time. */
  async function assertJobsMatch(f: Fresh, what: string): Promise<Map<string, string>> {
    const team = (await f.teams.read(f.teamId))!.doc;
    const ids = team.series ? meetingsOf(team.series).map((m) => m.id) : [];
    const records = await f.teams.readMeetings(f.teamId, ids);
    const owners = new Map([...records].map(([id, record]) => [id, ownersOf(record)]));
    const expected = new Map(teamJobSpecs(team, owners, f.now()).map((spec) => [spec.id, spec.dueAt]));
    const stored = await pendingJobs(f);
    assert.deepEqual([...stored].sort(), [...expected].sort(), `${what}: the stored jobs differ from the team's rhythm`);
    const listed = await listings(f.store);
    for (const [id, dueAt] of stored) assert.ok(listed.get(id)?.includes(dueAt), `${what}: ${id} is not listed under ${dueAt}`);
    return stored;
  }

  const steps = (jobs: Map<string, string>) => [...jobs.keys()].map((id) => id.split(':').slice(3).join(':')).sort();

  async function setUp(f: Fresh, form: Partial<SeriesForm>, by: PersonRef = ola): Promise<Team | undefined> {
    const team = (await f.teams.read(f.teamId))!.doc;
    const outcome = await f.service.setUp(f.turn(by), team, {
      name: 'Tverrfaglig team',
      kind: 'interdisciplinary',
      unitId: null,
      form: { name: 'Tverrfaglig team', scheduleKind: 'dates', start: '09:00', end: '10:30', ...form },
    });
    return outcome.kind === 'accepted' ? outcome.team : undefined;
  }

  it('makes the rhythm’s jobs at set-up, moves them with the offsets and dates, makes the owners’ reminders, takes all back when stopped', async () => {
    const f = await fresh();
    const today = dayOf(f.now(), TIME_ZONE);
    assert.deepEqual(steps(await assertJobsMatch(f, 'registered')), [], 'a registered team has no rhythm');

    assert.ok(await setUp(f, { dates: [addDays(today, 14), addDays(today, 28)] }));
    const first = `${addDays(today, 14)}-0900`;
    const second = `${addDays(today, 28)}-0900`;
    const made = await assertJobsMatch(f, 'set up');
    assert.deepEqual(steps(made), [
      `${first}:agenda`,
      `${first}:call-for-cases`,
      `${first}:minutes`,
      `${second}:agenda`,
      `${second}:call-for-cases`,
      `${second}:minutes`,
    ]);

    // Kari brings a topic to the first meeting: her reminder before it; Lise too; Kari takes hers back.
    const added = await f.service.addTopic(f.turn(kari), f.teamId, first, 'Rutiner ved fravær');
    assert.equal(added.kind, 'added');
    await f.service.addTopic(f.turn(lise), f.teamId, first, 'Overganger');
    assert.ok(steps(await assertJobsMatch(f, 'topics')).includes(`${first}:owner-reminder:${kari.id}`));
    await f.service.removeTopic(f.turn(kari), f.teamId, first, added.kind === 'added' ? added.item.id : '');
    const afterRemove = steps(await assertJobsMatch(f, 'topic removed'));
    assert.ok(!afterRemove.includes(`${first}:owner-reminder:${kari.id}`) && afterRemove.includes(`${first}:owner-reminder:${lise.id}`));

    // Offsets changed: the same jobs at new times; a meeting moved: its jobs (and Lise's reminder) go, the new date's come.
    assert.ok(await setUp(f, { dates: [addDays(today, 14), addDays(today, 28)], callDays: 10, ownerDays: 3 }));
    const moved = await assertJobsMatch(f, 'offsets');
    assert.notEqual(moved.get([...moved.keys()].find((id) => id.endsWith(`${first}:call-for-cases`))!), undefined);
    assert.ok(await setUp(f, { dates: [addDays(today, 15), addDays(today, 28)] }));
    const replaced = steps(await assertJobsMatch(f, 'meeting moved'));
    assert.ok(!replaced.some((step) => step.startsWith(first)) && replaced.includes(`${addDays(today, 15)}-0900:agenda`));

    // Laget is removed from the team: every pending job of its rhythm is taken back.
    await f.service.deactivate(f.teamId, f.now());
    assert.deepEqual(steps(await assertJobsMatch(f, 'stopped')), []);
  });

  it('keeps the set-up when the jobs cannot be written, and writes them from the team as it is once the store answers', async () => {
    const jobsDown = { value: true };
    const f = await fresh(jobsDown);
    const today = dayOf(f.now(), TIME_ZONE);
    assert.ok(await setUp(f, { dates: [addDays(today, 14)] }), 'the set-up is saved');
    assert.ok(await setUp(f, { dates: [addDays(today, 21)] }), 'and changed again');
    assert.equal(f.unfinished.count, 2, 'both kept to try again');
    assert.deepEqual(steps(await pendingJobs(f)), [], 'no job yet');
    assert.equal(await f.unfinished.finish(), 2, 'the store is still away');

    jobsDown.value = false;
    assert.equal(await f.unfinished.finish(), 0);
    assert.deepEqual(
      steps(await assertJobsMatch(f, 'after the store came back')),
      [`${addDays(today, 21)}-0900:agenda`, `${addDays(today, 21)}-0900:call-for-cases`, `${addDays(today, 21)}-0900:minutes`],
      'the jobs of the series as it is now, none of the date it had in between',
    );
  });

  it('keeps the jobs equal to the team’s rhythm over random sequences of team commands (property)', async () => {
    type Intent =
      | { k: 'dates'; offsets: number[]; start: '09:00' | '13:00'; callDays: number; ownerDays: number }
      | { k: 'cadence'; everyWeeks: number; weeks: number; callDays: number }
      | { k: 'topic'; who: 'kari' | 'lise' | 'ola'; meeting: number }
      | { k: 'remove'; meeting: number; item: number }
      | { k: 'draw'; meeting: number }
      | { k: 'stop' }
      | { k: 'register' };
    const intent: fc.Arbitrary<Intent> = fc.oneof(
      {
        arbitrary: fc.record({
          k: fc.constant('dates' as const),
          offsets: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
          start: fc.constantFrom<'09:00' | '13:00'>('09:00', '13:00'),
          callDays: fc.integer({ min: 2, max: 10 }),
          ownerDays: fc.integer({ min: 1, max: 3 }),
        }),
        weight: 3,
      },
      fc.record({
        k: fc.constant('cadence' as const),
        everyWeeks: fc.integer({ min: 1, max: 4 }),
        weeks: fc.integer({ min: 2, max: 12 }),
        callDays: fc.integer({ min: 2, max: 10 }),
      }),
      {
        arbitrary: fc.record({
          k: fc.constant('topic' as const),
          who: fc.constantFrom<'kari' | 'lise' | 'ola'>('kari', 'lise', 'ola'),
          meeting: fc.nat(3),
        }),
        weight: 4,
      },
      { arbitrary: fc.record({ k: fc.constant('remove' as const), meeting: fc.nat(3), item: fc.nat(3) }), weight: 2 },
      fc.record({ k: fc.constant('draw' as const), meeting: fc.nat(3) }),
      fc.constantFrom<Intent>({ k: 'stop' }, { k: 'register' }),
    );
    const step = fc.record({ intent, days: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: 1, max: 9 })) });

    /** The n-th meeting of the series as it is now (wrapping), if it has any. */
    const meetingAt = async (f: Fresh, n: number): Promise<string | undefined> => {
      const team = (await f.teams.read(f.teamId))!.doc;
      const meetings = team.series ? meetingsOf(team.series) : [];
      return meetings.length > 0 ? meetings[n % meetings.length]!.id : undefined;
    };

    let runs = 0;
    let changes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 12 }), async (sequence) => {
        runs += 1;
        const f = await fresh();
        for (const { intent: i, days } of sequence) {
          f.setClock(new Date(f.now().getTime() + days * 86_400_000));
          const today = dayOf(f.now(), TIME_ZONE);
          let changed = false;
          switch (i.k) {
            case 'dates':
              changed = !!(await setUp(f, {
                dates: i.offsets.map((n) => addDays(today, n)),
                start: i.start,
                end: i.start === '09:00' ? '10:30' : '14:30',
                callDays: i.callDays,
                ownerDays: i.ownerDays,
                agendaDays: 1,
              }));
              break;
            case 'cadence':
              changed = !!(await setUp(f, {
                scheduleKind: 'cadence',
                everyWeeks: i.everyWeeks,
                weekday: 'tuesday',
                from: today,
                until: addDays(today, i.weeks * 7),
                callDays: i.callDays,
                agendaDays: 1,
              }));
              break;
            case 'topic': {
              const meetingId = await meetingAt(f, i.meeting);
              if (meetingId)
                changed = (await f.service.addTopic(f.turn(PEOPLE[i.who]), f.teamId, meetingId, `Tema ${i.who}`)).kind === 'added';
              break;
            }
            case 'remove': {
              const meetingId = await meetingAt(f, i.meeting);
              const record = meetingId ? await f.service.meetingRecord(f.teamId, meetingId) : null;
              const item = record?.items[i.item % Math.max(1, record.items.length)];
              if (meetingId && item) changed = (await f.service.removeTopic(f.turn(ola), f.teamId, meetingId, item.id)).kind === 'accepted';
              break;
            }
            case 'draw': {
              const team = (await f.teams.read(f.teamId))!.doc;
              const meetingId = await meetingAt(f, i.meeting);
              if (meetingId) changed = (await f.service.drawAgenda(team, meetingId, f.now())) !== undefined;
              break;
            }
            case 'stop':
              changed = (await f.service.deactivate(f.teamId, f.now())) !== undefined;
              break;
            case 'register':
              await f.service.register(
                {
                  teamsTeamId: TEAMS_TEAM_ID,
                  name: 'Tverrfaglig team',
                  channel: { channelId: CHANNEL_ID, serviceUrl: 'https://smba.example/' },
                },
                f.now(),
              );
              break;
          }
          if (changed) changes += 1;
          await assertJobsMatch(f, `after ${i.k} on ${today}`);
        }
      }),
      { numRuns: Number(process.env.DUE_PROPERTY_RUNS ?? 12), seed: Number(process.env.PROPERTY_SEED ?? 20261205) },
    );
    assert.ok(runs >= 12 && changes > runs * 2, `the sequences did something: ${changes} changes in ${runs} runs`);
  });
});
