import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { meetingText } from '../../src/cards/teams';
import { PEOPLE, seedCases } from '../../scripts/seed/scenarios';
import { meetingsOf, MeetingSeriesSchema, rhythmOf, type Meeting, type RhythmKind } from '../../src/domain/meeting-series';
import { projectRoot } from '../../src/paths';
import { buttonTitles } from '../support/conversation';
import { freePort, startNpmStart, type NpmStart } from '../support/npm-start';
import { choiceValue } from '../support/playground-card';
import { PlaygroundClient, type PlaygroundChannel, type ReceivedCard } from '../support/playground-client';

/**
 * Issue 6's "done when", end to end as a person does it after `npm start`, in Kari Nordmann's
 * Agents Playground driven through its own HTTP + websocket API: Laget is added to the team's
 * "Tverrfaglig team" channel, "@Laget sett opp team" sets up two meetings, Kari brings two of her
 * example cases from her 1:1 chat (one anonymous, one named under a consent that covers the team),
 * and the local clock command ("klokke …", in her 1:1 chat) moves Laget's time so that the call for
 * cases, the agenda and the minutes appear in the channel as new threads — on time, with case codes
 * only, and each exactly once however far the clock moves on. Cards are saved under
 * test-artifacts/e2e-team/.
 */

const ARTIFACTS = join(projectRoot, 'test-artifacts/e2e-team');
const OSLO = 'Europe/Oslo';
const TEAM_NAME = 'Tverrfaglig team, Solsikken barnehage';
const CLOCK_FORMAT = 'yyyy-MM-dd HH:mm';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A child's alias as a token of its own: "E.H." in "(E.H.)", but not the "M." that ends "TEAM.". */
const aliasPattern = (alias: string) => new RegExp(`(?<![\\p{L}\\p{N}.])${escape(alias)}(?![\\p{L}\\p{N}])`, 'u');

/**
 * The two meetings as a person would plan them: the first 8 days from today in Oslo (a day later
 * if the weekend rule would move its call for cases into the past), the second six weeks after,
 * both 09:00–10:30. Their rhythm is computed with the domain's own rules, the same series the
 * set-up card makes, so the test knows when each post is due.
 */
function planMeetings(now: DateTime) {
  for (let extra = 0; extra < 7; extra += 1) {
    const first = now.plus({ days: 8 + extra }).toISODate()!;
    const second = now.plus({ days: 8 + extra + 42 }).toISODate()!;
    const series = MeetingSeriesSchema.parse({
      id: 'series',
      name: TEAM_NAME,
      timeZone: OSLO,
      schedule: { kind: 'dates', meetings: [first, second].map((date) => ({ date, start: '09:00', end: '10:30' })) },
      rhythm: { callForCases: { daysBefore: 7 }, agenda: { daysBefore: 1 }, avoidWeekends: true },
    });
    const meeting: Meeting = meetingsOf(series)[0]!;
    const due = Object.fromEntries(
      rhythmOf(series, meeting).map((step) => [step.kind, DateTime.fromISO(step.dueAt).setZone(OSLO)]),
    ) as Record<RhythmKind, DateTime>;
    // Room for the walk before the clock is moved: the call for cases must still lie ahead.
    if (due['call-for-cases'] > now.plus({ minutes: 30 }))
      return { first, second, meeting, due, endsAt: DateTime.fromISO(meeting.endsAt).setZone(OSLO) };
  }
  throw new Error('no meeting date found whose call for cases lies ahead');
}

/** A wait started before the action that should cause it; marked handled so a failure elsewhere is not reported twice. */
function awaited<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Lets a scheduler run that the last clock move woke finish before the test counts what was posted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

describe('npm start: the interdisciplinary team in its channel, with the local clock (end to end)', function () {
  this.timeout(60_000);

  let app: NpmStart | undefined;
  let kari: PlaygroundClient | undefined;
  let channel: PlaygroundChannel | undefined;
  const started = () => {
    assert.ok(app && kari && channel, 'npm start or the Playground connection did not come up (see the before hook)');
    return { kari, channel };
  };

  const plan = planMeetings(DateTime.now().setZone(OSLO));
  const examples = seedCases(new Date()).filter((c) => c.owner.id === PEOPLE.kari.id && c.status !== 'closed');
  const anonymousCase = examples.find((c) => c.currentStep?.stepId === '2b')!;
  const namedCase = examples.find((c) => c.currentStep?.stepId === '2a' && !c.pendingHandover)!;
  const aliases = [...new Set(seedCases(new Date()).flatMap((c) => (c.alias ? [c.alias] : [])))];
  const meetingLine = meetingText('nb', plan.meeting);
  // What Kari types stays her own note; the channel sees only the question she picks from the list.
  const anonymousNote = 'Hvordan kan vi støtte et barn som er trøtt og trekker seg unna i samlingsstunden?';
  const namedNote = 'Samarbeid med PPT og helsestasjonen rundt E.H.';

  /** Moves Laget's clock from Kari's 1:1 chat, as the README tells a person to. */
  const moveClock = async (argument: string) => {
    const { kari } = started();
    await kari.expectText(() => kari.say(`klokke ${argument}`), /Lagets klokke \(kun lokalt\)/);
  };
  const at = (instant: DateTime) => instant.toFormat(CLOCK_FORMAT);

  before(async () => {
    assert.ok(anonymousCase && namedCase, 'Kari’s example cases on 2b and 2a are missing from the seed data');
    rmSync(ARTIFACTS, { recursive: true, force: true });
    app = await startNpmStart({ PORT: '0', PLAYGROUND_PORT: String(await freePort()), PLAYGROUND_USERS: 'kari,per', LOG_LEVEL: 'warn' });
    const playground = app.ready.playgrounds.find((p) => p.key === 'kari');
    assert.ok(playground, `no Playground for Kari in ${JSON.stringify(app.ready)}`);
    kari = await PlaygroundClient.connect(playground.url, { artifactsDir: ARTIFACTS });
    channel = kari.channel('Tverrfaglig team');
  });

  after(async () => {
    kari?.close();
    await app?.terminate();
    if (app) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'npm-start.log'), app.output());
    }
  });

  it('introduces itself when added to the "Tverrfaglig team" channel, and sets up two meetings from "@Laget sett opp team"', async () => {
    const { kari, channel } = started();
    await kari.expectCard(() => kari.install(), /Hei! Jeg er Laget/);
    assert.equal(channel.channelId, 'channel-tverrfaglig');

    // Opening the channel installs Laget in the team: an introduction and the offer to set up, as new posts.
    const offer = await channel.expectCard(() => channel.install(), /Sett opp teamet/, { newThread: true });
    assert.ok(channel.threadsStarted(/Laget er lagt til i teamet/).length === 1, 'the introduction is a post of its own');
    assert.deepEqual(buttonTitles(offer.card), ['Sett opp teamet']);

    const rhythm = await channel.ask('sett opp team', /Sett opp teamet: hvordan møtes dere\?/);
    assert.match(rhythm.conversationId, /^channel-tverrfaglig;messageid=/, 'Laget answers in the thread of the post');
    assert.deepEqual(buttonTitles(rhythm.card), [
      'Bestemte datoer',
      'Fast rytme (hver … uke)',
      'Månedlig (f.eks. første tirsdag)',
      'Avbryt',
    ]);
    const form = await channel.expectCard(() => channel.press(rhythm, 'Bestemte datoer'), /Lagre møteserien/, {
      inThread: rhythm.conversationId,
    });
    // Kari leads no unit: the team is across units unless a leader binds it (she could not choose Solsikken barnehage).
    const saved = await channel.expectCard(
      () =>
        channel.press(form, 'Lagre møteserien', {
          name: TEAM_NAME,
          kind: 'interdisciplinary',
          unitId: 'none',
          dates: `${plan.first}, ${plan.second}`,
          start: '09:00',
          end: '10:30',
          leadId: choiceValue(form.card, 'leadId', 'Per Hansen (Solsikken barnehage)'),
          roles: 'leader,teacher,ppt,health-nurse',
        }),
      /Møteserien for .* er lagret/,
      { inThread: form.conversationId },
    );
    assert.match(saved.text, new RegExp(`Møteserien for ${TEAM_NAME} er lagret`));
    assert.match(saved.text, new RegExp(`• ${escape(meetingLine)}`));
    const second = DateTime.fromISO(plan.second);
    assert.match(saved.text, new RegExp(`• \\p{L}+ ${second.day}\\. \\p{L}+ ${second.year} kl\\. 09:00–10:30`, 'u'));

    // A reply in the thread reaches Laget too (with the @mention), and is answered there.
    await channel.expectText(
      () => channel.reply(form.conversationId, 'hjelp'),
      /«@Laget sett opp team» setter opp eller endrer møteserien/,
      {
        inThread: form.conversationId,
      },
    );
  });

  it('takes one of Kari’s cases anonymously and another by name once a consent covers the team, from her 1:1 chat', async () => {
    const { kari } = started();
    const open = async (code: string) => {
      // The list itself (a case card has a *Mine saker* button too).
      const mine = await kari.expectCard(() => kari.say('mine saker'), /^Mine saker/);
      return kari.expectCard(() => kari.press(mine, { title: `Fortsett med ${code}`, near: code }), new RegExp(`Sak ${code}`));
    };
    const meetingChoice = (card: ReceivedCard) => choiceValue(card.card, 'meeting', `${TEAM_NAME} – ${meetingLine}`);

    // Anonymous: the case code and a question from the fixed list; no consent needed.
    const overview = await open(anonymousCase.id);
    const bring = await kari.expectCard(() => kari.press(overview, 'Ta opp i tverrfaglig team'), new RegExp(`Ta opp ${anonymousCase.id}`));
    const broughtAnonymously = await kari.expectText(
      () =>
        kari.press(bring, 'Meld inn', {
          meeting: meetingChoice(bring),
          mode: 'anonymous',
          questionId: choiceValue(bring.card, 'questionId', 'Råd om videre tiltak'),
          note: anonymousNote,
        }),
      new RegExp(`${anonymousCase.id} er meldt inn`),
    );
    assert.equal(broughtAnonymously.text, `${anonymousCase.id} er meldt inn til ${TEAM_NAME}, ${meetingLine} (anonym).`);

    // By name: refused without a consent that covers the team, taken once the parents' consent does.
    const named = await open(namedCase.id);
    const bringNamed = await kari.expectCard(() => kari.press(named, 'Ta opp i tverrfaglig team'), new RegExp(`Ta opp ${namedCase.id}`));
    const refused = await kari.expectCard(
      () =>
        kari.press(bringNamed, 'Meld inn', {
          meeting: meetingChoice(bringNamed),
          mode: 'named',
          questionId: 'other-services',
          note: namedNote,
        }),
      /Samtykke mangler/,
    );
    assert.match(refused.text, new RegExp(`Samtykke mangler: foreldrenes samtykke må dekke ${TEAM_NAME}`));

    const again = await open(namedCase.id);
    const consentForm = await kari.expectCard(() => kari.press(again, 'Samtykke'), new RegExp(`Samtykke for ${namedCase.id}`));
    const consented = await kari.expectCard(
      () =>
        kari.press(consentForm, 'Registrer samtykke', {
          givenBy: 'mother,father',
          teams: choiceValue(consentForm.card, 'teams', TEAM_NAME),
          purpose: 'Drøfting i barnehagens tverrfaglige team',
          givenOn: DateTime.now().setZone(OSLO).toISODate()!,
          archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
          childOfAge: 'no',
        }),
      /Samtykket er registrert/,
    );
    const bringNamedAgain = await kari.expectCard(
      () => kari.press(consented, 'Ta opp i tverrfaglig team'),
      new RegExp(`Ta opp ${namedCase.id}`),
    );
    const broughtByName = await kari.expectText(
      () =>
        kari.press(bringNamedAgain, 'Meld inn', {
          meeting: meetingChoice(bringNamedAgain),
          mode: 'named',
          questionId: 'other-services',
          note: namedNote,
        }),
      new RegExp(`${namedCase.id} er meldt inn`),
    );
    assert.equal(broughtByName.text, `${namedCase.id} er meldt inn til ${TEAM_NAME}, ${meetingLine} (navngitt (samtykke)).`);
  });

  it('posts the call for cases in the channel when its time comes, not before', async () => {
    const { channel } = started();
    const call = new RegExp(`Innkalling: ${TEAM_NAME}`);
    await moveClock(at(plan.due['call-for-cases'].minus({ minutes: 10 })));
    await settle();
    assert.equal(channel.threadsStarted(call).length, 0, 'no call for cases before it is due');

    const posted = await channel.expectCard(() => moveClock(at(plan.due['call-for-cases'].plus({ minutes: 5 }))), call, {
      newThread: true,
    });
    assert.match(posted.text, new RegExp(`Møte ${escape(meetingLine)}\\. Meld inn saker innen`));
  });

  it('posts the agenda the day before at 12:00, with the case codes and never an alias; reminds Kari in her own chat', async () => {
    const { kari, channel } = started();
    const agendaDue = plan.due.agenda;
    assert.equal(agendaDue.toFormat('HH:mm'), '12:00');
    const reminder = awaited(kari.expectCard(async () => undefined, new RegExp(`Tverrfaglig team ${escape(meetingLine)}`)));
    const agenda = await channel.expectCard(() => moveClock(at(agendaDue.plus({ minutes: 5 }))), new RegExp(`Saksliste: ${TEAM_NAME}`), {
      newThread: true,
    });

    assert.match(agenda.text, new RegExp(`Saksliste: ${TEAM_NAME}, ${escape(meetingLine)}`));
    assert.match(agenda.text, new RegExp(`1\\. ${anonymousCase.id} · 45 min · Kari Nordmann · anonym\\nRåd om videre tiltak`));
    assert.match(
      agenda.text,
      new RegExp(`2\\. ${namedCase.id} · 45 min · Kari Nordmann · navngitt \\(samtykke\\)\\nBør andre tjenester involveres\\?`),
    );
    assert.ok(!agenda.text.includes(anonymousNote) && !agenda.text.includes(namedNote), 'Kari’s own notes stay out of the channel');
    for (const alias of aliases) assert.doesNotMatch(agenda.text, aliasPattern(alias), `the agenda shows the alias "${alias}"`);

    // Two days before (moved off the weekend when it falls on one), in Kari's 1:1 chat.
    const reminded = await reminder;
    assert.match(reminded.text, new RegExp(`Du har meldt inn ${anonymousCase.id}, ${namedCase.id} til møtet i ${TEAM_NAME}`));
  });

  it('posts the minutes after the meeting; "Skriv referat" in its thread sends Kari the form in her own chat', async () => {
    const { kari, channel } = started();
    const minutes = await channel.expectCard(() => moveClock(at(plan.endsAt.plus({ minutes: 5 }))), new RegExp(`Referat: ${TEAM_NAME}`), {
      newThread: true,
    });
    assert.match(minutes.text, new RegExp(`1\\. ${anonymousCase.id} · 45 min · Kari Nordmann · anonym`));
    assert.match(minutes.text, new RegExp(`2\\. ${namedCase.id} · 45 min · Kari Nordmann · navngitt \\(samtykke\\)`));
    assert.ok(
      !minutes.text.includes('Råd om videre tiltak') && !minutes.text.includes(anonymousNote),
      'the minutes post shows no more than the agenda’s lines',
    );

    // A button on a card Laget posted on its own: the press goes to that thread.
    const form = awaited(kari.expectCard(async () => undefined, new RegExp(`Referat: ${TEAM_NAME}, ${escape(meetingLine)}`)));
    // The answer is Kari's alone: nothing is posted in the channel.
    assert.equal(await channel.executeForText(minutes, 'Skriv referat'), 'Referatskjemaet er sendt til deg i 1:1-chatten med Laget.');
    const minutesForm = await form;
    assert.deepEqual(buttonTitles(minutesForm.card), ['Lagre referatet']);
    assert.match(
      minutesForm.text,
      new RegExp(`1\\. ${anonymousCase.id} – Råd om videre tiltak[\\s\\S]*2\\. ${namedCase.id} – Bør andre tjenester involveres\\?`),
    );
    assert.match(minutesForm.text, /Notat fra Kari Nordmann: Hvordan kan vi støtte/, 'in her own chat, Kari sees her own note');
  });

  it('posts each of them exactly once, however far the clock moves on, and never a child’s alias or an identity number', async () => {
    const { channel } = started();
    await moveClock('+1d');
    await moveClock('+7d');
    await settle();
    for (const title of ['Innkalling', 'Saksliste', 'Referat']) {
      const posts = channel.threadsStarted(new RegExp(`^${title}: ${escape(TEAM_NAME)}`));
      assert.equal(posts.length, 1, `${title}: posted ${posts.length} times:\n${posts.map((p) => p.text.split('\n')[0]).join('\n')}`);
    }
    const everything = channel.cards();
    assert.ok(everything.length >= 7, `expected the channel's posts and replies, got ${everything.length}`);
    for (const card of everything) {
      const shown = JSON.stringify(card.card);
      for (const alias of aliases) assert.doesNotMatch(card.text, aliasPattern(alias), `the alias "${alias}" in the channel`);
      assert.doesNotMatch(shown, /(?<!\d)\d{11}(?!\d)|(?<!\d)\d{6}[ .-]\d{5}(?!\d)/, 'an identity number in the channel');
    }
  });
});
