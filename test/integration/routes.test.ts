import assert from 'node:assert/strict';
import type { ConversationKind } from '../../src/bot/actor';
import { ACTIVITY_TYPES, EVERYWHERE, nameOf, type ActivityType, type Route, type RouteTable } from '../../src/bot/router';
import { ExecutePayloads, Payloads, type ExecuteVerb, type Verb } from '../../src/cards/payloads';
import { dayOf } from '../../src/domain/time';
import { CaseRepository } from '../../src/store/case-repository';
import { accessFixtureCase } from '../support/access-fixture';
import { BOT, channelMessage, groupChatMessage, message, users, type Activity, type TestUser } from '../support/activities';
import { syntheticCaseCode } from '../support/case-codes';
import { findChannelPrivacyViolations } from '../support/channel-privacy';
import { isChannelCall } from '../support/fake-connector';
import { Conversation } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { executeSamples, submitSamples, type SampleRefs } from '../support/payload-samples';
import { SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/**
 * The route table (src/bot/routes.ts) decides where a command or a card verb may run: its
 * conversation kinds and its activity types. Here, the side doors that were found open.
 */

/** What a shared conversation got back from the bot, as one text (cards by their visible text). */
function sharedPosts(running: Running, since: number): string {
  return running.connector.calls
    .slice(since)
    .filter((call) => !call.conversationId.startsWith('a:personal-'))
    .map((call) => {
      const card = cardOf(call.activity);
      return card ? textOf(card) : typeof call.activity.text === 'string' ? call.activity.text : '';
    })
    .join('\n');
}

/** The same text, edited: Teams sends `messageUpdate` with the message's new text. */
function edited(activity: Activity): Activity {
  return { ...activity, type: 'messageUpdate', channelData: { ...(activity.channelData as object), eventType: 'editMessage' } };
}

describe('commands in shared conversations through other activity types (finding 1)', () => {
  let running: Running;
  let code: string;
  before(async () => {
    running = await startTestLaget();
    const today = dayOf(new Date(), 'Europe/Oslo');
    ({ code } = await walkToStep1(running, { today, evaluationOn: today }));
    // Per leads Solsikken: "mine enheter" would list Kari's case.
    await new Conversation(running, users.per).say('hjelp');
  });
  after(async () => running.stop());

  const cases: { text: string; who: TestUser }[] = [
    { text: 'mine saker', who: users.kari },
    { text: 'fortsett', who: users.kari },
    { text: 'mine enheter', who: users.per },
    { text: 'til godkjenning', who: users.per },
  ];
  for (const { text, who } of cases) {
    for (const [where, build] of [
      ['a channel', channelMessage],
      ['a group chat', groupChatMessage],
    ] as const) {
      it(`posts nothing about a case when "@Laget ${text}" is edited into ${where}`, async () => {
        const before = running.connector.calls.length;
        const response = await running.post(edited(build(running.connector.url, who, text)));
        assert.equal(response.status, 200);
        const shown = sharedPosts(running, before);
        assert.doesNotMatch(shown, new RegExp(code), `the case code was posted in ${where}: ${shown}`);
        assert.doesNotMatch(shown, /E\.H\.|Trøtt|Endringen kom brått/, `case data was posted in ${where}: ${shown}`);
        assert.equal(running.connector.calls.length, before, `an edit runs no command, and gets no answer: ${shown}`);
      });
    }
  }

  it('answers the same command, typed (not edited) in a channel, with the hint to use the 1:1 chat', async () => {
    const before = running.connector.calls.length;
    await running.post(channelMessage(running.connector.url, users.kari, 'mine saker'));
    const shown = sharedPosts(running, before);
    assert.doesNotMatch(shown, new RegExp(code));
    assert.match(shown, /1:1|personlig|chat/i);
  });
});

describe('an edited message outside local without a signed identity (finding 1)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({}, {}, (config) => ({ ...config, environment: 'dev' }));
  });
  after(async () => running.stop());

  it('runs nothing as the Teams user id, reads nothing and answers nothing', async () => {
    const kari = new Conversation(running, users.kari);
    await kari.say('hjelp');
    const { aadObjectId: _gone, ...from } = { id: users.kari.mri, name: users.kari.name, aadObjectId: users.kari.aadObjectId };
    const activity = { ...edited(channelMessage(running.connector.url, users.kari, 'mine saker')), from };
    const reads = running.laget.store.embedded!.requestCount;
    const before = running.connector.calls.length;
    const response = await running.post(activity);
    assert.equal(response.status, 200);
    assert.equal(running.connector.calls.length, before, 'nothing was sent');
    assert.equal(running.laget.store.embedded!.requestCount, reads, 'nothing was read from the store');
  });
});

/** Routes that may run outside the personal chat: written out here, so a new one is a decision, not an accident. */
const SHARED_ROUTES = new Set([
  'klokke',
  'installed in groupChat',
  'installed in channel',
  'help',
  'welcome.show',
  'sett opp team',
  'tema',
  'team.setup-form',
  'team.setup-cancel',
  'team.setup',
  'team.topic-form',
  'team.topic',
  'team.remove-topic',
  'team.minutes-form',
]);

describe('the route table: every route × conversation kind × activity type', function () {
  this.timeout(300_000);
  let running: Running;
  let table: RouteTable;
  let refs: SampleRefs;
  let caseData: RegExp;

  before(async () => {
    running = await startTestLaget();
    table = running.laget.bot.routes;
    const today = dayOf(new Date(), 'Europe/Oslo');
    const { code, overview } = await walkToStep1(running, { today, evaluationOn: today });
    const rev = String((JSON.stringify(overview).match(/"rev":"([^"]+)"/) ?? [])[1]);
    // A second case, waiting for Per's approval, with a consent on record.
    const fixture = accessFixtureCase(syntheticCaseCode(1, 'RT'));
    await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(fixture.case);
    refs = {
      caseId: code,
      unitId: SOLSIKKEN,
      rev: rev === 'undefined' ? 'stale' : rev,
      escalationId: 'esc-1',
      consentId: 'consent-1',
      teamId: 'solsikken-tverrfaglig',
      meetingId: '2026-03-04-1400',
      colleagueId: users.nina.aadObjectId,
    };
    // Anything about either child: the case codes, the alias, what Kari wrote.
    caseData = new RegExp(
      [code, fixture.case.id, 'UR-[0-9A-Z]{4,8}', 'E\\.H\\.', 'Trøtt', 'Endringen kom brått', 'samlingsstunden'].join('|'),
    );
    for (const user of [users.kari, users.per, users.ola]) await new Conversation(running, user).say('hjelp');
  });
  after(async () => running.stop());

  it('declares every card verb once, with its schema, and each route’s activity types by what triggers it', () => {
    const submits = table.routes.filter((r) => r.kind === 'submit');
    const executes = table.routes.filter((r) => r.kind === 'execute');
    assert.deepEqual(submits.map((r) => r.verb).sort(), (Object.keys(Payloads) as Verb[]).sort());
    assert.deepEqual(executes.map((r) => r.verb).sort(), (Object.keys(ExecutePayloads) as ExecuteVerb[]).sort());
    for (const route of submits) assert.equal(route.schema, Payloads[route.verb]);
    for (const route of executes) assert.equal(route.schema, ExecutePayloads[route.verb]);
    const expectedTypes = {
      command: ['message'],
      submit: ['message'],
      execute: ['invoke'],
      install: ['conversationUpdate'],
      'file-consent': ['invoke'],
      search: ['invoke'],
    };
    for (const route of table.routes) assert.deepEqual(route.activityTypes, expectedTypes[route.kind], nameOf(route));
  });

  it('lets only the team’s own routes, help and the introductions run where others read along', () => {
    for (const route of table.routes) {
      const shared = route.conversations.some((kind) => kind !== 'personal');
      assert.equal(shared, SHARED_ROUTES.has(nameOf(route)), `${nameOf(route)} runs in ${route.conversations.join(', ')}`);
    }
  });

  /** The activity that asks for `route`, in `kind`, sent as `type`. */
  function activityFor(route: Route, kind: ConversationKind, type: ActivityType, user: TestUser): Activity {
    const url = running.connector.url;
    const text = route.kind === 'command' ? route.example : '';
    const base =
      kind === 'personal'
        ? message(url, user, text)
        : kind === 'channel'
          ? channelMessage(url, user, text)
          : groupChatMessage(url, user, text);
    const { text: _text, entities: _entities, ...bare } = base;
    switch (route.kind) {
      case 'command':
        return { ...base, type };
      case 'submit':
        return { ...bare, type, value: submitSamples(refs)[route.verb] };
      case 'execute':
        return {
          ...bare,
          type,
          name: 'adaptiveCard/action',
          replyToId: 'card-activity-1',
          value: { action: { type: 'Action.Execute', verb: route.verb, data: executeSamples(refs)[route.verb] }, trigger: 'manual' },
        };
      case 'install':
        return { ...bare, type, membersAdded: [{ id: BOT.id }] };
      case 'file-consent':
        return { ...bare, type, name: 'fileConsent/invoke', value: { action: route.action, context: {}, uploadInfo: {} } };
      case 'search':
        return {
          ...bare,
          type,
          name: 'application/search',
          value: { kind: 'search', queryText: 'ni', dataset: `${route.dataset}${SOLSIKKEN}`, queryOptions: { skip: 0, top: 15 } },
        };
    }
  }

  it('runs a route only where and as declared, answers elsewhere without reading anything, and shows case data only in a personal chat', async () => {
    let cells = 0;
    const problems: string[] = [];
    for (const route of table.routes) {
      for (const kind of EVERYWHERE) {
        for (const type of ACTIVITY_TYPES) {
          cells += 1;
          const name = `${nameOf(route)} in ${kind} as ${type}`;
          const user = nameOf(route).startsWith('approval') || nameOf(route).startsWith('leader') ? users.per : users.kari;
          const before = running.connector.calls.length;
          const reads = running.laget.store.embedded!.requestCount;
          const response = await running.post(activityFor(route, kind, type, user));
          const posts = running.connector.calls.slice(before);
          const shared = posts
            .filter((call) => !call.conversationId.startsWith('a:personal-'))
            .map((call) => JSON.stringify(call.activity));
          const leaked = shared.find((post) => caseData.test(post));
          if (leaked) problems.push(`${name}: case data in a shared conversation: ${leaked.slice(0, 300)}`);
          if (response.status >= 500) problems.push(`${name}: answered ${response.status}`);
          const declared = (route.activityTypes as readonly string[]).includes(type);
          // Laget's installation is one trigger with a route per kind of conversation.
          const here = table.routes.some(
            (other) =>
              other.kind === route.kind &&
              (route.kind === 'install' || nameOf(other) === nameOf(route)) &&
              other.conversations.includes(kind),
          );
          if (!declared || !here) {
            if (running.laget.store.embedded!.requestCount !== reads) problems.push(`${name}: read the store`);
          }
          if (!declared) {
            if (posts.length > 0) problems.push(`${name}: answered with a post`);
            if (type === 'invoke' && response.status !== 400)
              problems.push(`${name}: an invoke no route takes is not refused (${response.status})`);
            if (type !== 'invoke' && response.status !== 200) problems.push(`${name}: answered ${response.status}`);
          } else if (!here) {
            if (type === 'message' && posts.length !== 1) problems.push(`${name}: ${posts.length} posts instead of one sentence`);
            if (type === 'message' && cardOf(posts[0]?.activity)) problems.push(`${name}: answered with a card`);
            if (type === 'invoke' && response.status !== 200) problems.push(`${name}: the invoke was not answered (${response.status})`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
    // And the suite's own channel check over every post the matrix made into a channel.
    const channelPosts = running.connector.received.filter((call) => isChannelCall(call));
    assert.ok(channelPosts.length > 0);
    assert.deepEqual(findChannelPrivacyViolations(channelPosts), []);
    // The size of the table, for the record: routes × conversation kinds × activity types.
    assert.equal(cells, table.routes.length * EVERYWHERE.length * ACTIVITY_TYPES.length);
    console.log(
      `      route table: ${table.routes.length} routes × ${EVERYWHERE.length} conversation kinds × ${ACTIVITY_TYPES.length} activity types = ${cells} turns`,
    );
  });
});
