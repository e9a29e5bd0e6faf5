import assert from 'node:assert/strict';
import { CHANNEL } from '../support/activities';
import { CHILD_ALIASES, findChannelPrivacyViolations } from '../support/channel-privacy';
import { channelTraffic, FakeConnector, type ConnectorCall } from '../support/fake-connector';

/**
 * The guard that the root hook (mocha-setup.ts) runs over every channel post of the whole test
 * run. Here it is fed planted violations, to show that it would catch them.
 */

const card = (...texts: string[]) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.5', body: texts.map((text) => ({ type: 'TextBlock', text })) },
    },
  ],
});

const channelCall = (activity: Record<string, unknown>): ConnectorCall => ({
  method: 'POST',
  path: `/v3/conversations/${CHANNEL.channelId}/activities`,
  conversationId: CHANNEL.channelId,
  activity: { ...activity, conversation: { id: CHANNEL.channelId, conversationType: 'channel' } },
  receivedAt: Date.now(),
});

const NOW = new Date('2026-03-02T08:00:00Z');

describe('the channel-privacy guard', () => {
  it('knows the children of the scenarios by their aliases', () => {
    for (const alias of ['E.H.', 'M.', 'J.']) assert.ok(CHILD_ALIASES.includes(alias), alias);
  });

  it('lets an agenda with case codes, dates and names of staff through', () => {
    const agenda = card(
      'Agenda for tverrfaglig team 4. mars 2026',
      'UR-7K4Q: evaluering (Kari Nordmann)',
      'UR-4HNW: ny sak, anonym',
      'Møtet 2026-03-04 kl. 14.00',
      'TEAM. Se saken i 1:1-chat.',
    );
    assert.deepEqual(findChannelPrivacyViolations([channelCall(agenda)], NOW), []);
  });

  it('catches a child’s initials in a channel card and names the offending activity', () => {
    const bad = channelCall(card('Agenda', 'UR-7K4Q (E.H.): evaluering'));
    const violations = findChannelPrivacyViolations([bad], NOW);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!.what, /"E\.H\."/);
    assert.equal(violations[0]!.call, bad);
  });

  it('catches an alias hidden in card data, not only in visible text', () => {
    const bad = channelCall({
      ...card('Agenda'),
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { actions: [{ type: 'Action.Submit', data: { alias: 'M.' } }] },
        },
      ],
    });
    assert.equal(findChannelPrivacyViolations([bad], NOW).length, 1);
  });

  it('catches a national identity number in any spelling', () => {
    for (const text of [
      'Barnet 01020310045',
      'f.nr 010203 10045',
      'f.nr 010203–10045',
      'nr. 01.02.03\u00a010045',
      '０１０２０３１００４５',
    ]) {
      const violations = findChannelPrivacyViolations([channelCall(card(text))], NOW);
      assert.ok(
        violations.some((v) => v.what === 'a national identity number'),
        text,
      );
    }
  });

  it('does not mistake eleven digits whose check digits are wrong for an identity number', () => {
    for (const text of ['Referanse 01020312345', 'Møte 4. mars, rom 10203 12345']) {
      assert.deepEqual(findChannelPrivacyViolations([channelCall(card(text))], NOW), [], text);
    }
  });

  it('does not mistake an activity id holding eleven digits for an identity number', () => {
    const reply = {
      ...card('Møteserien er lagret.'),
      id: 'f01bfb5d-75fa-4e61-bce7-a87683878670',
      replyToId: '477191e8-0a31-4e3e-999d-06431668258f',
    };
    assert.deepEqual(findChannelPrivacyViolations([channelCall(reply)], NOW), []);
  });

  it('catches something that looks like a date of birth', () => {
    for (const text of ['født 12.03.2019', 'Fødselsdato: 2019-03-12', 'elev (f. 3. mai 2015)', 'Kontakt 12.03.2018']) {
      const violations = findChannelPrivacyViolations([channelCall(card(text))], NOW);
      assert.ok(
        violations.some((v) => v.what === 'a date of birth'),
        text,
      );
    }
  });

  it('records what a fake connector receives for a channel, so the end-of-run check sees it', async () => {
    const connector = await new FakeConnector().start();
    const before = channelTraffic.length;
    try {
      const planted = { ...card('UR-7K4Q (E.H.)'), conversation: { id: CHANNEL.channelId, conversationType: 'channel' } };
      await fetch(`${connector.url}v3/conversations/${encodeURIComponent(CHANNEL.channelId)}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(planted),
      });
      await fetch(`${connector.url}v3/conversations/a%3Apersonal-aad-kari/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(card('UR-7K4Q (E.H.): i din egen chat er aliaset greit')),
      });
      const recorded = channelTraffic.slice(before);
      assert.equal(recorded.length, 1, 'only the channel post is recorded');
      assert.equal(findChannelPrivacyViolations(recorded).length, 1, 'and the guard flags it');
    } finally {
      // The planted post must not fail the real end-of-run check.
      channelTraffic.splice(before);
      await connector.stop();
    }
  });
});
