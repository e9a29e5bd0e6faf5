import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  MeetingSeriesSchema,
  WEEKDAYS,
  findMeeting,
  meetingsOf,
  rhythmOf,
  type Meeting,
  type MeetingSeries,
  type MeetingSeriesInput,
  type RhythmKind,
} from '../../../src/domain/meeting-series';

/** Fixed dates only: 2026's daylight-saving changes are Sunday 29 March and Sunday 25 October. */
function series(input: Partial<MeetingSeriesInput> & Pick<MeetingSeriesInput, 'schedule'>): MeetingSeries {
  return MeetingSeriesSchema.parse({ id: 'tverrfaglig', name: 'Tverrfaglig team', ...input });
}

function weekly(from: string, until: string, start = '09:00', end = '10:30'): MeetingSeries {
  return series({ schedule: { kind: 'cadence', everyWeeks: 1, weekday: 'tuesday', start, end, from, until } });
}

function single(
  date: string,
  start: string,
  end: string,
  extra: Partial<MeetingSeriesInput> = {},
): { series: MeetingSeries; meeting: Meeting } {
  const one = series({ schedule: { kind: 'dates', meetings: [{ date, start, end }] }, ...extra });
  return { series: one, meeting: meetingsOf(one)[0]! };
}

function stepTimes(one: MeetingSeries, meeting: Meeting): Record<RhythmKind, { dueAt: string; staleAfter: string }> {
  return Object.fromEntries(
    rhythmOf(one, meeting).map((step) => [step.kind, { dueAt: step.dueAt, staleAfter: step.staleAfter }]),
  ) as Record<RhythmKind, { dueAt: string; staleAfter: string }>;
}

const oslo = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Oslo' });
const local = (iso: string) => oslo(iso).toFormat('yyyy-MM-dd HH:mm');

describe('meeting series', () => {
  describe('meetings across daylight-saving time', () => {
    it('keeps a Tuesday 09:00 meeting at 09:00 in Oslo across the spring change: 08:00Z before, 07:00Z after', () => {
      const meetings = meetingsOf(weekly('2026-03-17', '2026-04-07'));
      assert.deepEqual(
        meetings.map((meeting) => [meeting.date, meeting.startsAt, meeting.endsAt]),
        [
          ['2026-03-17', '2026-03-17T08:00:00.000Z', '2026-03-17T09:30:00.000Z'],
          ['2026-03-24', '2026-03-24T08:00:00.000Z', '2026-03-24T09:30:00.000Z'],
          ['2026-03-31', '2026-03-31T07:00:00.000Z', '2026-03-31T08:30:00.000Z'],
          ['2026-04-07', '2026-04-07T07:00:00.000Z', '2026-04-07T08:30:00.000Z'],
        ],
      );
      for (const meeting of meetings) assert.equal(oslo(meeting.startsAt).toFormat('HH:mm'), '09:00');
    });

    it('keeps it at 09:00 across the autumn change too: 07:00Z before, 08:00Z after', () => {
      const meetings = meetingsOf(weekly('2026-10-20', '2026-10-27'));
      assert.deepEqual(
        meetings.map((meeting) => meeting.startsAt),
        ['2026-10-20T07:00:00.000Z', '2026-10-27T08:00:00.000Z'],
      );
    });

    it('turns "every 6th Tuesday 09:00–10:30" for the spring half-year into five meetings', () => {
      const spring = series({
        schedule: {
          kind: 'cadence',
          everyWeeks: 6,
          weekday: 'tuesday',
          start: '09:00',
          end: '10:30',
          from: '2026-01-05',
          until: '2026-06-30',
        },
      });
      assert.deepEqual(
        meetingsOf(spring).map((meeting) => [meeting.id, meeting.startsAt]),
        [
          ['2026-01-06-0900', '2026-01-06T08:00:00.000Z'],
          ['2026-02-17-0900', '2026-02-17T08:00:00.000Z'],
          ['2026-03-31-0900', '2026-03-31T07:00:00.000Z'],
          ['2026-05-12-0900', '2026-05-12T07:00:00.000Z'],
          ['2026-06-23-0900', '2026-06-23T07:00:00.000Z'],
        ],
      );
    });

    it('skips holiday dates without shifting the cadence', () => {
      const forum = series({
        name: 'Oppvekstforum',
        schedule: {
          kind: 'cadence',
          everyWeeks: 4,
          weekday: 'thursday',
          start: '13:00',
          end: '15:00',
          from: '2026-08-20',
          until: '2026-12-17',
          except: ['2026-10-15'],
        },
      });
      assert.deepEqual(
        meetingsOf(forum).map((meeting) => meeting.date),
        ['2026-08-20', '2026-09-17', '2026-11-12', '2026-12-10'],
      );
    });

    it('turns "the first Tuesday of each month 09:00–11:00" (an oppvekstforum) into one meeting a month, at 09:00 Oslo on both sides of the spring change', () => {
      const forum = series({
        name: 'Oppvekstforum',
        schedule: { kind: 'monthly', week: 1, weekday: 'tuesday', start: '09:00', end: '11:00', from: '2026-01-01', until: '2026-06-30' },
      });
      assert.deepEqual(
        meetingsOf(forum).map((meeting) => [meeting.id, meeting.startsAt, meeting.endsAt]),
        [
          ['2026-01-06-0900', '2026-01-06T08:00:00.000Z', '2026-01-06T10:00:00.000Z'],
          ['2026-02-03-0900', '2026-02-03T08:00:00.000Z', '2026-02-03T10:00:00.000Z'],
          ['2026-03-03-0900', '2026-03-03T08:00:00.000Z', '2026-03-03T10:00:00.000Z'],
          // Summer time from Sunday 29 March: the same 09:00 in Oslo is 07:00Z.
          ['2026-04-07-0900', '2026-04-07T07:00:00.000Z', '2026-04-07T09:00:00.000Z'],
          ['2026-05-05-0900', '2026-05-05T07:00:00.000Z', '2026-05-05T09:00:00.000Z'],
          ['2026-06-02-0900', '2026-06-02T07:00:00.000Z', '2026-06-02T09:00:00.000Z'],
        ],
      );
    });

    it('finds the third Wednesday and the last Friday of a month, starts no earlier than the first date, and skips holiday dates', () => {
      const third = series({
        schedule: { kind: 'monthly', week: 3, weekday: 'wednesday', start: '13:00', end: '14:00', from: '2026-09-17', until: '2026-12-31' },
      });
      // 16 September is the third Wednesday, but before the first date: the series starts in October.
      assert.deepEqual(
        meetingsOf(third).map((m) => m.date),
        ['2026-10-21', '2026-11-18', '2026-12-16'],
      );
      const last = series({
        schedule: {
          kind: 'monthly',
          week: -1,
          weekday: 'friday',
          start: '13:00',
          end: '14:00',
          from: '2026-08-01',
          until: '2026-12-31',
          except: ['2026-12-25'],
        },
      });
      assert.deepEqual(
        meetingsOf(last).map((m) => m.date),
        ['2026-08-28', '2026-09-25', '2026-10-30', '2026-11-27'],
      );
    });

    it('keeps a monthly meeting and its rhythm at their local times across the autumn change (last Sunday of October)', () => {
      const forum = series({
        schedule: { kind: 'monthly', week: -1, weekday: 'tuesday', start: '09:00', end: '11:00', from: '2026-10-01', until: '2026-10-31' },
      });
      const [meeting] = meetingsOf(forum);
      assert.equal(meeting!.date, '2026-10-27');
      assert.equal(meeting!.startsAt, '2026-10-27T08:00:00.000Z', 'winter time again: 09:00 Oslo is 08:00Z');
      const times = Object.fromEntries(rhythmOf(forum, meeting!).map((step) => [step.kind, local(step.dueAt)]));
      assert.deepEqual(times, {
        'call-for-cases': '2026-10-20 09:00', // summer time, still 09:00 in Oslo
        'owner-reminders': '2026-10-25 09:00', // the day of the change
        agenda: '2026-10-26 12:00',
        minutes: '2026-10-27 11:00',
      });
    });

    it('takes explicit dates as given, each with its own times, in order of start', () => {
      const dates = series({
        schedule: {
          kind: 'dates',
          meetings: [
            { date: '2026-11-03', start: '12:00', end: '13:00' },
            { date: '2026-09-08', start: '08:30', end: '10:00' },
          ],
        },
      });
      assert.deepEqual(
        meetingsOf(dates).map((meeting) => [meeting.id, meeting.startsAt, meeting.endsAt]),
        [
          ['2026-09-08-0830', '2026-09-08T06:30:00.000Z', '2026-09-08T08:00:00.000Z'],
          ['2026-11-03-1200', '2026-11-03T11:00:00.000Z', '2026-11-03T12:00:00.000Z'],
        ],
      );
      assert.equal(findMeeting(dates, '2026-11-03-1200')?.date, '2026-11-03');
      assert.equal(findMeeting(dates, '2026-11-03-0900'), undefined);
    });

    it("reads times in the series' own zone when one is given", () => {
      const { meeting } = single('2026-03-31', '09:00', '10:00', { timeZone: 'Europe/London' });
      assert.equal(meeting.startsAt, '2026-03-31T08:00:00.000Z');
    });

    it('moves a time that does not exist (02:30 on 29 March) forward by the gap, and reads a repeated one (02:30 on 25 October) as standard time', () => {
      assert.equal(single('2026-03-29', '02:30', '04:00').meeting.startsAt, '2026-03-29T01:30:00.000Z');
      assert.equal(single('2026-10-25', '02:30', '04:00').meeting.startsAt, '2026-10-25T01:30:00.000Z');
    });
  });

  describe('the rhythm around a meeting', () => {
    it('uses the defaults: call for cases 7 days before at 09:00, owners 2 days before at 09:00, agenda the day before at 12:00, minutes at the end', () => {
      const { series: one, meeting } = single('2026-09-15', '09:00', '10:30');
      assert.equal(one.timeZone, 'Europe/Oslo');
      assert.deepEqual(
        rhythmOf(one, meeting).map((step) => [step.kind, oslo(step.dueAt).toFormat('ccc yyyy-MM-dd HH:mm')]),
        [
          ['call-for-cases', 'Tue 2026-09-08 09:00'],
          ['owner-reminders', 'Sun 2026-09-13 09:00'],
          ['agenda', 'Mon 2026-09-14 12:00'],
          ['minutes', 'Tue 2026-09-15 10:30'],
        ],
      );
    });

    it('places every step at its local time when the spring change falls between the call for cases and the meeting', () => {
      const { series: one, meeting } = single('2026-03-31', '09:00', '10:30');
      assert.deepEqual(stepTimes(one, meeting), {
        'call-for-cases': { dueAt: '2026-03-24T08:00:00.000Z', staleAfter: '2026-03-31T07:00:00.000Z' },
        // Sunday 29 March itself: 09:00 is already summer time.
        'owner-reminders': { dueAt: '2026-03-29T07:00:00.000Z', staleAfter: '2026-03-31T07:00:00.000Z' },
        agenda: { dueAt: '2026-03-30T10:00:00.000Z', staleAfter: '2026-03-31T08:30:00.000Z' },
        minutes: { dueAt: '2026-03-31T08:30:00.000Z', staleAfter: '2026-04-14T08:30:00.000Z' },
      });
    });

    it('places every step at its local time when the autumn change falls between them', () => {
      const { series: one, meeting } = single('2026-10-27', '09:00', '10:30');
      assert.deepEqual(stepTimes(one, meeting), {
        'call-for-cases': { dueAt: '2026-10-20T07:00:00.000Z', staleAfter: '2026-10-27T08:00:00.000Z' },
        'owner-reminders': { dueAt: '2026-10-25T08:00:00.000Z', staleAfter: '2026-10-27T08:00:00.000Z' },
        agenda: { dueAt: '2026-10-26T11:00:00.000Z', staleAfter: '2026-10-27T09:30:00.000Z' },
        minutes: { dueAt: '2026-10-27T09:30:00.000Z', staleAfter: '2026-11-10T09:30:00.000Z' },
      });
    });

    it('keeps minutes wanted for 14 calendar days at the same wall-clock time, across a change', () => {
      const { series: one, meeting } = single('2026-10-22', '14:00', '15:30');
      const minutes = rhythmOf(one, meeting).find((step) => step.kind === 'minutes')!;
      assert.equal(minutes.dueAt, '2026-10-22T13:30:00.000Z');
      assert.equal(minutes.staleAfter, '2026-11-05T14:30:00.000Z');
      assert.equal(oslo(minutes.staleAfter).toFormat('yyyy-MM-dd HH:mm'), '2026-11-05 15:30');
    });

    it('makes a call for cases and owner reminders stale when the meeting starts, an agenda when it ends', () => {
      const { series: one, meeting } = single('2026-09-15', '09:00', '10:30');
      const times = stepTimes(one, meeting);
      assert.equal(times['call-for-cases'].staleAfter, meeting.startsAt);
      assert.equal(times['owner-reminders'].staleAfter, meeting.startsAt);
      assert.equal(times.agenda.staleAfter, meeting.endsAt);
    });

    it('follows configured offsets', () => {
      const { series: one, meeting } = single('2026-09-15', '09:00', '10:30', {
        rhythm: {
          callForCases: { daysBefore: 10, at: '08:00' },
          agenda: { daysBefore: 2, at: '15:00' },
          ownerReminders: { daysBefore: 3 },
          minutes: { minutesAfterEnd: 60, staleAfterDays: 7 },
        },
      });
      assert.deepEqual(
        rhythmOf(one, meeting).map((step) => [step.kind, local(step.dueAt), local(step.staleAfter)]),
        [
          ['call-for-cases', '2026-09-05 08:00', '2026-09-15 09:00'],
          ['owner-reminders', '2026-09-12 09:00', '2026-09-15 09:00'],
          ['agenda', '2026-09-13 15:00', '2026-09-15 10:30'],
          ['minutes', '2026-09-15 11:30', '2026-09-22 11:30'],
        ],
      );
    });
    it('moves a message that would fall on a weekend to the Friday before, when asked to', () => {
      // A Monday meeting: call for cases on a Monday, owners on Saturday, agenda on Sunday.
      const { series: one, meeting } = single('2026-03-30', '09:00', '10:30', { rhythm: { avoidWeekends: true } });
      assert.deepEqual(
        rhythmOf(one, meeting).map((step) => [step.kind, oslo(step.dueAt).toFormat('ccc yyyy-MM-dd HH:mm')]),
        [
          ['call-for-cases', 'Mon 2026-03-23 09:00'],
          ['owner-reminders', 'Fri 2026-03-27 09:00'],
          ['agenda', 'Fri 2026-03-27 12:00'],
          ['minutes', 'Mon 2026-03-30 10:30'],
        ],
      );
    });
  });

  describe('refuses a series that cannot be right', () => {
    const cadence = {
      kind: 'cadence',
      everyWeeks: 6,
      weekday: 'tuesday',
      start: '09:00',
      end: '10:30',
      from: '2026-01-05',
      until: '2026-06-30',
    } as const;
    const cases: [string, Partial<MeetingSeriesInput>, string][] = [
      ['a meeting that ends before it starts', { schedule: { ...cadence, end: '08:00' } }, 'schedule.end'],
      ['a last date before the first', { schedule: { ...cadence, until: '2025-12-01' } }, 'schedule.until'],
      ['a range with no such weekday', { schedule: { ...cadence, from: '2026-01-07', until: '2026-01-12' } }, 'schedule'],
      ['a series of more than two years', { schedule: { ...cadence, until: '2028-06-30' } }, 'schedule.until'],
      [
        'the same meeting listed twice',
        {
          schedule: {
            kind: 'dates',
            meetings: [
              { date: '2026-09-08', start: '09:00', end: '10:00' },
              { date: '2026-09-08', start: '09:00', end: '11:00' },
            ],
          },
        },
        'schedule.meetings.1',
      ],
      ['a time that is not HH:mm', { schedule: { ...cadence, start: '9:00' } }, 'schedule.start'],
      [
        'a monthly series with no meeting between its dates',
        {
          schedule: { kind: 'monthly', week: 1, weekday: 'tuesday', start: '09:00', end: '10:00', from: '2026-03-04', until: '2026-03-31' },
        },
        'schedule',
      ],
      [
        'a monthly series in a "fifth" week',
        {
          schedule: {
            kind: 'monthly',
            week: 5 as never,
            weekday: 'tuesday',
            start: '09:00',
            end: '10:00',
            from: '2026-03-01',
            until: '2026-06-30',
          },
        },
        'schedule.week',
      ],

      ['a zone that does not exist', { schedule: cadence, timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [
        'a call for cases on the day of the meeting',
        { schedule: cadence, rhythm: { callForCases: { daysBefore: 0 } } },
        'rhythm.callForCases.daysBefore',
      ],
    ];
    for (const [what, input, path] of cases) {
      it(what, () => {
        const result = MeetingSeriesSchema.safeParse({ id: 'tverrfaglig', name: 'Tverrfaglig team', schedule: cadence, ...input });
        if (result.success) assert.fail('expected a refusal');
        assert.ok(
          result.error.issues.some((issue) => issue.path.join('.') === path),
          `expected an issue at ${path}, got ${result.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
        );
      });
    }
  });

  it('for any cadence: meetings fall on the weekday at the local start time, in order, and every step is due before it is stale', () => {
    const day = fc.integer({ min: 0, max: 364 }).map((n) => DateTime.fromISO('2026-01-01', { zone: 'utc' }).plus({ days: n }).toISODate()!);
    const time = fc
      .tuple(fc.integer({ min: 0, max: 22 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.record({
          everyWeeks: fc.integer({ min: 1, max: 8 }),
          weekday: fc.constantFrom(...WEEKDAYS),
          start: time,
          from: day,
          days: fc.integer({ min: 7, max: 300 }),
        }),
        ({ everyWeeks, weekday, start, from, days }) => {
          const end = `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}${start.slice(2)}`;
          const until = DateTime.fromISO(from, { zone: 'utc' }).plus({ days }).toISODate()!;
          const parsed = MeetingSeriesSchema.safeParse({
            id: 's',
            name: 'S',
            schedule: { kind: 'cadence', everyWeeks, weekday, start, end, from, until },
          });
          if (!parsed.success) return; // a short range without that weekday is refused, as tested above
          const meetings = meetingsOf(parsed.data);
          meetings.forEach((meeting, index) => {
            const local = oslo(meeting.startsAt);
            // 02:xx does not exist on a spring-change Sunday (2026 or 2027); everything else keeps its wall-clock time.
            const springChange = local.isInDST && !local.minus({ days: 1 }).isInDST;
            if (!(springChange && start.startsWith('02'))) assert.equal(local.toFormat('HH:mm'), start);
            assert.equal(local.weekday, WEEKDAYS.indexOf(weekday) + 1);
            if (index > 0) assert.ok(meetings[index - 1]!.startsAt < meeting.startsAt);
            for (const step of rhythmOf(parsed.data, meeting)) {
              assert.ok(step.dueAt < step.staleAfter, `${step.kind} due ${step.dueAt} but stale ${step.staleAfter}`);
              if (step.kind !== 'minutes') assert.ok(step.dueAt < meeting.startsAt);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
