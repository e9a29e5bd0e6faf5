import assert from 'node:assert/strict';
import { addDays, dayOf } from '../../src/domain/time';
import { allText, buttonTitles, lastCard } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { walkToStep1 } from '../support/uro-walk';

/**
 * Time of day (issue 12, finding 6): whether a consent is in force, and what "today" is, are
 * decided at the turn's instant in Europe/Oslo — never at a synthetic noon, never in UTC. The same
 * walk (a case from "ny sak" to a consent recorded for 3b) is made at the moments that used to
 * break: just after midnight, the afternoon (13:30: after noon UTC), late evening (23:30: already
 * tomorrow in UTC in summer… and yesterday's date in UTC after midnight), New Year's Eve, and the
 * two nights the clocks change, crossing the change itself. Laget's clock moves a second each time
 * it is read, so a walk takes a few minutes of its time.
 *
 * The rest of the suite runs at any hour too: `npm run test:clock` runs the tests that read the
 * wall clock under faketime at these moments (README, "Tests at any hour").
 */

const MOMENTS: [name: string, utc: string][] = [
  ['00:30 in Oslo, winter (23:30 UTC the day before)', '2026-12-03T23:30:00Z'],
  ['13:30 in Oslo, winter (after noon UTC)', '2026-12-04T12:30:00Z'],
  ['23:30 in Oslo, winter', '2026-12-04T22:30:00Z'],
  ['00:30 in Oslo, summer (22:30 UTC the day before)', '2026-06-14T22:30:00Z'],
  ['23:30 in Oslo, summer', '2026-06-15T21:30:00Z'],
  ['23:30 on New Year’s Eve in Oslo', '2026-12-31T22:30:00Z'],
  ['the spring night the clocks go forward, across 02:00 → 03:00', '2026-03-29T00:57:00Z'],
  ['the autumn night the clocks go back, across 03:00 → 02:00', '2026-10-25T00:57:00Z'],
];

describe('at any time of day: in force and today are decided at the turn’s instant, in Oslo', function () {
  this.timeout(120_000);

  for (const [name, utc] of MOMENTS) {
    it(`shows a consent recorded now as in force, and takes today as today: ${name}`, async () => {
      let clock = new Date(utc).getTime();
      const running: Running = await startTestLaget({}, { now: () => new Date((clock += 1000)) });
      try {
        const today = () => dayOf(new Date(clock), 'Europe/Oslo');
        const day = today();
        const { chat: kari, overview } = await walkToStep1(running, { today: day, evaluationOn: addDays(day, 28) });
        // Each evaluation is on the day its step began, so Kari says why; 2b is evaluated once its open dialogue has minutes.
        const sameDay = { sameDayReason: 'Foreldrene ba om et nytt møte med en gang.' };
        const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
        const next2b = lastCard(await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b', ...sameDay }));
        const step2bForm = lastCard(await kari.press(next2b, 'Start trinnet'));
        const on2b = await kari.press(step2bForm, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: addDays(today(), 30) });
        assert.match(allText(on2b), /står nå på 2b/);
        const minutes = lastCard(await kari.press(lastCard(on2b), 'Skriv referat'));
        const recordedMinutes = await kari.press(minutes, 'Lagre referatet', {
          parents: 'both',
          conclusions: 'Faste rutiner.',
          sign: 'true',
        });
        const evaluation2b = lastCard(await kari.press(lastCard(recordedMinutes), 'Evaluer nå'));
        const proposed3b = lastCard(await kari.press(evaluation2b, 'Registrer evalueringen', { outcome: 'b', ...sameDay }));
        const stepForm = lastCard(await kari.press(proposed3b, 'Be om godkjenning'));
        assert.match(textOf(stepForm), /Ingen samtykke i kraft ennå/, 'no consent before one is recorded');

        const consentForm = lastCard(await kari.press(stepForm, 'Samtykke'));
        const recorded = await kari.press(consentForm, 'Registrer samtykke', {
          givenBy: 'mother,father',
          services: 'ppt,helsestasjon',
          purpose: 'Samarbeid om tiltak for barnet',
          givenOn: today(),
          validUntil: addDays(today(), 365),
          archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
          childOfAge: 'no',
        });
        assert.match(allText(recorded), /Samtykket er registrert/);

        // The consent card: the consent recorded a moment ago is in force, so it can be withdrawn.
        const consentCard = lastCard(await kari.press(lastCard(recorded), 'Samtykke'));
        assert.ok(buttonTitles(consentCard!).includes('Trekk tilbake'), `the withdraw button is shown (${new Date(clock).toISOString()})`);
        // The step card (back to the request the consent was for): the consent is in force for the services it covers.
        const entry = lastCard(recorded);
        assert.match(textOf(entry), /Samtykke i kraft dekker: PPT, Helsestasjon/);
        assert.doesNotMatch(textOf(entry), /Ingen samtykke i kraft ennå/);
      } finally {
        await running.stop();
      }
    });
  }
});
