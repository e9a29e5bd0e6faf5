import assert from 'node:assert/strict';
import {
  botInstalledInTeam,
  CHANNEL,
  message,
  personalConversationId,
  submit,
  TENANT_ID,
  users,
  type Activity,
} from '../support/activities';
import { allText, Conversation, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn, readCase, SOLSIKKEN, startGreyZoneCase } from '../support/uro-walk';
import { setUpTeam } from '../support/team-walk';

/**
 * The smaller findings of issue 12 (finding 5), each through real HTTP: a report pressed twice is
 * one report and one notice; every turn gets an answer, also a payload with `__proto__` in it and a
 * leader pressing a form that is not theirs; what people type is shown as text, never as a live
 * markdown link; the tenant fields of an activity must agree.
 */

/** Markdown a TextBlock or a fact would turn into a link: `[text](url)` whose brackets are not escaped. */
const LIVE_LINK = /(?<!\\)\[[^\]\n]*(?<!\\)\]\(/;

/** Every text of a card that Teams renders as markdown: TextBlocks and facts. */
function markdownTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => markdownTexts(child, out));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') out.push(record.text);
    if (Array.isArray(record.facts)) {
      for (const fact of record.facts as { title?: unknown; value?: unknown }[]) {
        if (typeof fact.title === 'string') out.push(fact.title);
        if (typeof fact.value === 'string') out.push(fact.value);
      }
    }
    Object.values(record).forEach((child) => markdownTexts(child, out));
  }
  return out;
}

describe('the smaller findings (finding 5)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget();
    await new Conversation(running, users.per).say('hjelp');
  });
  after(async () => running.stop());

  it('records one report and tells the leader once when "Registrer det jeg har gjort" is pressed twice on the same card', async () => {
    const chat = new Conversation(running, users.kari);
    const start = lastCard(await chat.say('ny sak'));
    const reportPath = await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'yes' });
    const code = caseCodeIn(reportPath);
    const card = lastCard(reportPath);
    const first = await chat.press(card, 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });
    assert.match(allText(first), /Registrert/);
    const second = await chat.press(card, 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });
    assert.match(allText(second), /allerede registrert/);
    assert.equal((await readCase(running, code)).reports.length, 1, 'one report');
    const { resources } = await running.laget.store.containers.jobs.items.query('SELECT * FROM c').fetchAll();
    const notices = resources.filter((job) => JSON.stringify(job).includes(code) && JSON.stringify(job).includes('report-made'));
    assert.equal(notices.length, 1, `one notice to the leader: ${JSON.stringify(notices)}`);
    // A new report path card (drawn after the report) can record another report.
    const again = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'report' }));
    const later = await chat.press(again, 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'true' });
    assert.match(allText(later), /Registrert/);
    assert.equal((await readCase(running, code)).reports.length, 2);
  });

  for (const [name, json] of [
    ['a __proto__ key', '{"verb":"cases.mine","__proto__":{"admin":true}}'],
    ['a constructor key', '{"verb":"cases.mine","constructor":{"prototype":{"admin":true}}}'],
    ['__proto__ as the verb', '{"verb":"__proto__"}'],
    ['constructor as the verb', '{"verb":"constructor"}'],
    [
      'a __proto__ key on a case card',
      '{"verb":"uro.zone","caseId":"UR-7K4Q","unitId":"solsikken-barnehage","rev":"x","zoneId":"grey","__proto__":{"x":1}}',
    ],
  ] as const) {
    it(`answers a payload with ${name} with the ordinary error card`, async () => {
      const activity: Activity = { ...submit(running.connector.url, users.kari, {}), value: JSON.parse(json) as unknown };
      const before = running.connector.calls.length;
      const response = await running.post(activity);
      assert.equal(response.status, 200);
      const replies = running.connector.calls.slice(before).filter((call) => call.conversationId === personalConversationId(users.kari));
      assert.ok(replies.length > 0, 'an answer');
      assert.match(textOf(cardOf(replies[0]!.activity)), /Det gikk ikke/);
      assert.equal(({} as Record<string, unknown>).admin, undefined, 'nothing was polluted');
    });
  }

  it('tells a leader who presses the consent withdrawal form that it is not theirs, showing nothing of the case', async () => {
    const { code } = await startGreyZoneCase(running);
    const replies = await new Conversation(running, users.per).submitRaw({
      verb: 'consent.withdraw-form',
      caseId: code,
      unitId: SOLSIKKEN,
      consentId: 'consent-1',
    });
    assert.match(allText(replies), /Du har ikke tilgang til å gjøre dette i saken/);
    assert.doesNotMatch(allText(replies), /Trekk tilbake/);
  });

  it('shows a link someone typed as text, never as a live markdown link, to the owner and to the leader', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const link = '[se journal](https://evil.example/j)';
    const saved = await chat.press(partA, 'Lagre og fortsett', {
      alias: '[E](https://evil.example)',
      seenOrHeard: `Se ${link} for mer.`,
      whatWorriesMe: `**Viktig** ${link}`,
    });
    const before = running.connector.calls.length;
    const shown = [
      ...saved,
      ...(await chat.say('mine saker')),
      ...(await chat.say('fortsett')),
      ...(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'part-a' })),
      ...(await new Conversation(running, users.per).say('mine enheter')),
      ...(await new Conversation(running, users.per).submitRaw({ verb: 'leader.case', caseId: code, unitId: SOLSIKKEN })),
    ];
    assert.ok(
      shown.some((reply) => reply.text.includes('evil.example')),
      'the typed text is shown',
    );
    for (const reply of shown) {
      for (const text of markdownTexts(reply.card)) assert.doesNotMatch(text, LIVE_LINK, text);
      const activity = reply.activity as { text?: unknown; textFormat?: unknown };
      if (!reply.card && typeof activity.text === 'string' && activity.textFormat !== 'plain') {
        assert.doesNotMatch(activity.text, LIVE_LINK, activity.text);
      }
    }
    assert.ok(running.connector.calls.length > before);
  });
});

describe('as a stranger and as a hurried user', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget();
  });
  after(async () => running.stop());

  it('refuses a stranger’s forged report on someone else’s case: nothing recorded, nothing shown', async () => {
    const { code } = await startGreyZoneCase(running);
    const replies = await new Conversation(running, users.tor).submitRaw({
      verb: 'uro.report',
      caseId: code,
      unitId: SOLSIKKEN,
      rev: 'x',
      done: 'reported',
      leaderInvolved: 'false',
      drawnAt: '2020-01-01T00:00:00.000Z',
    });
    assert.match(allText(replies), /Du har ikke tilgang til denne saken/);
    assert.doesNotMatch(allText(replies), /E\.H\.|Trøtt/);
    assert.equal((await readCase(running, code)).reports.length, 0);
  });

  it('answers a page far beyond the list with its last page, and an impossible page with the error card', async () => {
    const kari = new Conversation(running, users.kari);
    const last = await kari.submitRaw({ verb: 'cases.mine', page: 5000 });
    assert.match(allText(last), /Mine saker/);
    const impossible = await kari.submitRaw({ verb: 'cases.mine', page: -1 });
    assert.match(allText(impossible), /Det gikk ikke/);
    const text = await kari.submitRaw({ verb: 'cases.mine', page: '2' });
    assert.match(allText(text), /Det gikk ikke/, 'a page is a number on the card, never text');
  });

  it('answers a double press of a case card the second time with the case as it is, and changes it once', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const inputs = { alias: 'E.H.', seenOrHeard: 'Trøtt og innesluttet.', whatWorriesMe: 'Endringen kom brått.' };
    const [first, second] = await Promise.all([
      chat.press(partA, 'Lagre og fortsett', inputs),
      chat.press(partA, 'Lagre og fortsett', inputs),
    ]);
    const both = `${allText(first)}\n${allText(second)}`;
    assert.match(both, /Del B – forbered samtalen med foreldrene/);
    const stored = await readCase(running, code);
    assert.equal(stored.events.filter((event) => event.type === 'worry-form-recorded').length, 1, 'part A recorded once');
  });
});

describe('the tenant fields of an activity (finding 5)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({ ALLOWED_TENANT_IDS: TENANT_ID });
  });
  after(async () => running.stop());

  const disagreeing = (activity: Activity, channelTenant: string): Activity => ({
    ...activity,
    channelData: { ...(activity.channelData as object), tenant: { id: channelTenant } },
  });

  for (const [where, build] of [
    [
      'an allowed conversation tenant and another channelData tenant',
      (url: string) => disagreeing(message(url, users.kari, 'mine saker'), 'tenant-evil'),
    ],
    [
      'another conversation tenant and the allowed channelData tenant',
      (url: string) => {
        const activity = message(url, users.kari, 'mine saker');
        return { ...activity, conversation: { ...(activity.conversation as object), tenantId: 'tenant-evil' } };
      },
    ],
  ] as const) {
    it(`refuses ${where} before any state is read`, async () => {
      const reads = running.laget.store.embedded!.requestCount;
      const before = running.connector.received.length;
      const response = await running.post(build(running.connector.url));
      assert.equal(response.status, 200);
      assert.equal(running.connector.received.length, before, 'nothing was sent');
      assert.equal(running.laget.store.embedded!.requestCount, reads, 'nothing was read');
    });
  }

  it('still answers an activity whose tenant fields agree', async () => {
    const replies = await new Conversation(running, users.kari).say('hjelp');
    assert.ok(replies.length > 0);
  });

  it('refuses disagreeing tenant fields without an allow-list too (a channel message)', async () => {
    const open = await startTestLaget();
    try {
      const reads = open.laget.store.embedded!.requestCount;
      const activity = {
        ...message(open.connector.url, users.ola, 'hjelp'),
        conversation: { id: CHANNEL.channelId, conversationType: 'channel', tenantId: TENANT_ID },
        channelData: { tenant: { id: 'tenant-evil' }, team: { id: CHANNEL.teamId }, channel: { id: CHANNEL.channelId } },
      };
      await open.post(activity);
      assert.equal(open.connector.received.length, 0);
      assert.equal(open.laget.store.embedded!.requestCount, reads);
    } finally {
      await open.stop();
    }
  });
});

describe('an identity number in a team topic (finding 3)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({}, { now: () => new Date('2026-03-02T08:00:00Z') });
    await new Conversation(running, users.ola).say('hei');
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    await setUpTeam(Conversation.inChannel(running, users.ola), { dates: '2026-03-17', roles: 'leader,teacher' });
  });
  after(async () => running.stop());

  for (const topic of ['Eleven 120318–60081 trenger oppfølging', 'Gjelder 12.03.18\u00a060081', 'Nr. １２０３１８６００８１']) {
    it(`refuses the topic ${JSON.stringify(topic)} in the channel and never puts it on the agenda`, async () => {
      const channel = Conversation.inChannel(running, users.ola);
      const form = lastCard(await channel.say('tema'));
      const replies = await channel.press(form, 'Meld inn et tema', { meetingId: '2026-03-17-0900', topic });
      assert.match(allText(replies), /fødselsnummer/);
      const listed = await running.laget.services.teams.ofUnit('bjorkelangen-skole');
      assert.ok(listed.length > 0);
      for (const entry of listed) {
        const meeting = (await running.laget.repositories.teams.readMeeting(entry.id, '2026-03-17-0900'))?.doc;
        assert.ok(
          (meeting?.items ?? []).every((item) => item.kind !== 'topic' || item.topic !== topic),
          'the topic is not stored',
        );
      }
    });
  }
});
