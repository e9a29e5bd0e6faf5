import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import {
  BOT,
  botInstalledInGroupChat,
  botInstalledInPersonalChat,
  botInstalledInTeam,
  CHANNEL,
  channelMessage,
  GROUP_CHAT_ID,
  groupChatMessage,
  message,
  personalConversationId,
  submit,
  TENANT_ID,
  users,
} from '../support/activities';
import { captureLog } from '../support/capture-log';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { startGreyZoneCase } from '../support/uro-walk';
import { PeopleRepository } from '../../src/store/people';

describe('Laget over HTTP (restify + CloudAdapter + teams-ai, fake Bot Connector)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget();
  });
  after(async () => running.stop());

  const kariChat = personalConversationId(users.kari);
  const lastReplyTo = async (conversationId: string) => {
    const calls = running.connector.calls.filter((call) => call.conversationId === conversationId);
    return calls.at(-1)?.activity;
  };

  it('answers /healthz with 200', async () => {
    const response = await fetch(`${running.laget.url}/healthz`);
    assert.equal(response.status, 200);
  });

  it('answers /readyz with 200 while Cosmos is reachable', async () => {
    const response = await fetch(`${running.laget.url}/readyz`);
    assert.equal(response.status, 200);
  });

  it('replies to "hjelp" in personal chat with the Norwegian welcome card, through the connector', async () => {
    const before = running.connector.calls.length;
    const response = await running.post(message(running.connector.url, users.kari, 'hjelp'));
    assert.equal(response.status, 200);
    const sent = running.connector.calls.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.conversationId, kariChat);
    const text = textOf(cardOf(sent[0]!.activity));
    assert.match(text, /Hei! Jeg er Laget/);
    assert.match(text, /Meldeplikten til barnevernet går alltid foran/);
    assert.match(text, /Ring 112/);
  });

  it('answers "Hjelp!" and "@Laget hjelp" the same way', async () => {
    for (const text of ['Hjelp!', '<at>Laget</at> hjelp']) {
      await running.post(message(running.connector.url, users.kari, text));
      assert.match(textOf(cardOf(await lastReplyTo(kariChat))), /Hei! Jeg er Laget/);
    }
  });

  it('speaks English to a client whose locale is English', async () => {
    await running.post(message(running.connector.url, users.kari, 'help', 'en-US'));
    assert.match(textOf(cardOf(await lastReplyTo(kariChat))), /Hi! I am Laget/);
  });

  it('remembers the language of a client for later messages, but not the local Playground’s (it always says en-US)', async () => {
    const people = new PeopleRepository(running.laget.store.containers.people);
    await running.post(message(running.connector.url, users.nina, 'help', 'en-US'), { 'x-ms-agents-playground': '1' });
    assert.match(textOf(cardOf(await lastReplyTo(personalConversationId(users.nina)))), /Hei! Jeg er Laget/, 'bokmål in the Playground');
    assert.equal((await people.read(users.nina.aadObjectId))?.doc.locale, undefined);
    await running.post(message(running.connector.url, users.nina, 'help', 'en-US'));
    assert.equal((await people.read(users.nina.aadObjectId))?.doc.locale, 'en');
    await running.post({ ...botInstalledInPersonalChat(running.connector.url, users.tor), locale: 'en-GB' });
    assert.equal((await people.read(users.tor.aadObjectId))?.doc.locale, 'en', 'also when Laget is installed');
  });

  it('welcomes a first-time user when the bot is installed in personal chat', async () => {
    await running.post(botInstalledInPersonalChat(running.connector.url, users.lise));
    const reply = await lastReplyTo(personalConversationId(users.lise));
    assert.match(textOf(cardOf(reply)), /Hei! Jeg er Laget/);
  });

  it('introduces itself in the channel when installed in a team, without any child data', async () => {
    const before = running.connector.calls.length;
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    const text = running.connector.calls
      .slice(before)
      .filter((call) => call.conversationId === CHANNEL.channelId)
      .map((call) => textOf(cardOf(call.activity)))
      .join('\n');
    assert.match(text, /Laget er lagt til i teamet/);
    assert.match(text, /bare sakskoder/);
  });

  it('does not greet again when someone else joins a chat', async () => {
    const before = running.connector.calls.length;
    const activity = botInstalledInPersonalChat(running.connector.url, users.kari);
    activity.membersAdded = [{ id: users.nina.mri }];
    await running.post(activity);
    assert.equal(running.connector.calls.length, before);
  });

  it('never answers an unknown message with silence: a short Norwegian hint', async () => {
    await running.post(message(running.connector.url, users.kari, 'hva skjer'));
    const reply = await lastReplyTo(kariChat);
    assert.equal(reply?.text, 'Det forstod jeg ikke. Skriv «hjelp» for å se hva jeg kan gjøre.');
  });

  it('answers an unknown message in a channel with the channel hint', async () => {
    await running.post(channelMessage(running.connector.url, users.ola, 'hva skjer'));
    const reply = await lastReplyTo(CHANNEL.channelId);
    assert.match(String(reply?.text), /Write to me|Skriv til meg i en 1:1-chat/);
  });

  it('answers "hjelp" in a channel with the channel’s commands: no case, no resume hint, no personal flows', async () => {
    await startGreyZoneCase(running, users.lise, 'bjorkelangen-skole'); // Lise has a case in progress
    await running.post(channelMessage(running.connector.url, users.lise, 'hjelp'));
    const help = String((await lastReplyTo(CHANNEL.channelId))?.text);
    assert.match(help, /I denne kanalen: «@Laget sett opp team»/);
    assert.doesNotMatch(help, /UR-[0-9A-Z]{4}|Fortsett|Jeg er urolig for et barn/);
  });

  describe('in a group chat', () => {
    it('introduces itself there without offering anything about a child', async () => {
      await running.post(botInstalledInGroupChat(running.connector.url, users.kari));
      const intro = textOf(cardOf(await lastReplyTo(GROUP_CHAT_ID)));
      assert.match(intro, /Laget er lagt til i samtalen/);
      assert.doesNotMatch(intro, /lagt til i teamet/);
    });

    it('answers "hjelp" with the shared help, never the personal welcome card or a case in progress', async () => {
      await startGreyZoneCase(running); // Kari has a case in progress
      await running.post(groupChatMessage(running.connector.url, users.kari, 'hjelp'));
      const help = textOf(cardOf(await lastReplyTo(GROUP_CHAT_ID)));
      assert.match(help, /skriv til meg i en 1:1-chat/);
      assert.doesNotMatch(help, /UR-[0-9A-Z]{4}|Fortsett|Hei! Jeg er Laget/);
    });

    it('refuses the case flows there with the hint, and answers an unknown message', async () => {
      await running.post(groupChatMessage(running.connector.url, users.kari, 'ny sak'));
      assert.match(String((await lastReplyTo(GROUP_CHAT_ID))?.text), /Skriv til meg i en 1:1-chat/);
      await running.post(groupChatMessage(running.connector.url, users.kari, 'hva skjer'));
      assert.ok((await lastReplyTo(GROUP_CHAT_ID))?.text, 'never silence');
    });
  });

  it('never starts a worry about a child in a channel: the case flows stay in the 1:1 chat', async () => {
    for (const text of ['ny sak', 'mine saker', 'jeg er urolig for et barn']) {
      const before = running.connector.calls.length;
      await running.post(channelMessage(running.connector.url, users.ola, text));
      const replies = running.connector.calls.slice(before).map((call) => call.activity);
      assert.equal(replies.length, 1);
      assert.equal(cardOf(replies[0]), undefined, 'no card in the channel');
      assert.match(String(replies[0]!.text), /Skriv til meg i en 1:1-chat for å ta opp uro om et barn/);
    }
    const { text: _text, entities: _entities, ...inChannel } = channelMessage(running.connector.url, users.ola, '');
    const before = running.connector.calls.length;
    await running.post({
      ...inChannel,
      value: { verb: 'uro.start', dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: 'bjorkelangen-skole' },
    });
    const replies = running.connector.calls.slice(before).map((call) => call.activity);
    assert.match(String(replies[0]?.text), /Skriv til meg i en 1:1-chat/);
    assert.equal(cardOf(replies[0]), undefined, 'no case was started in the channel');
  });

  it('answers a card submit with an unknown verb with the Norwegian error card', async () => {
    await running.post(submit(running.connector.url, users.kari, { verb: 'no.such.verb' }));
    const text = textOf(cardOf(await lastReplyTo(kariChat)));
    assert.match(text, /Det gikk ikke/);
    assert.match(text, /Ingenting er endret/);
  });

  it('answers a known verb with unexpected fields with the error card naming the field', async () => {
    await running.post(submit(running.connector.url, users.kari, { verb: 'welcome.show', ownerId: 'aad-per' }));
    const text = textOf(cardOf(await lastReplyTo(kariChat)));
    assert.match(text, /Kortet sendte et felt jeg ikke kjenner: «ownerId»/);
  });

  it('names a field by the label on the card, never by its key', async () => {
    const before = running.connector.calls.length;
    await running.post(
      submit(running.connector.url, users.kari, { verb: 'uro.start', dangerNow: 'maybe', suspectedViolenceOrAbuse: 'no' }),
    );
    const [error, next] = running.connector.calls.slice(before).map((call) => textOf(cardOf(call.activity)));
    assert.match(next ?? '', /Sikkerheten kommer alltid først/, 'the start card follows the error');
    const text = error ?? '';
    assert.match(text, /Sjekk feltet «Er noen i fare nå\?»/);
    assert.doesNotMatch(text, /dangerNow/);
  });

  it('refuses a body that is not an activity with 400 and sends nothing', async () => {
    const before = running.connector.calls.length;
    const response = await running.post({ hello: 'world' });
    assert.equal(response.status, 400);
    assert.equal(running.connector.calls.length, before);
  });

  it('answers invokes it does not handle with 400, not a server error', async () => {
    const activity = { ...message(running.connector.url, users.kari, ''), type: 'invoke', name: 'composeExtension/query' };
    const response = await running.post(activity);
    assert.equal(response.status, 400);
  });
});

describe('Laget with bot credentials (BOT_ID set)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({ BOT_ID: '00000000-0000-0000-0000-00000000b07', BOT_PASSWORD: 'not-used' });
  });
  after(async () => running.stop());

  it('refuses a request without a Bot Framework token with 401 and changes nothing', async () => {
    const storeRequestsBefore = running.laget.store.embedded!.requestCount;
    const response = await running.post(message(running.connector.url, users.kari, 'hjelp'));
    assert.equal(response.status, 401);
    assert.equal(running.connector.calls.length, 0);
    assert.equal(running.laget.store.embedded!.requestCount, storeRequestsBefore);
  });

  it('refuses a request without a token with 401 whatever its body, before looking at it', async () => {
    for (const body of [{ hello: 'world' }, { ...message(running.connector.url, users.kari, 'hjelp'), from: { id: 'SELECT * FROM c' } }]) {
      const response = await running.post(body);
      assert.equal(response.status, 401, JSON.stringify(body).slice(0, 80));
    }
  });

  it('refuses a forged token with 401', async () => {
    const response = await running.post(message(running.connector.url, users.kari, 'hjelp'), {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMDAifQ.c2lnbmF0dXJl',
    });
    assert.equal(response.status, 401);
    assert.equal(running.connector.calls.length, 0);
  });
});

describe('Laget with ALLOWED_TENANT_IDS', () => {
  let running: Running;
  const captured = captureLog();
  before(async () => {
    running = await startTestLaget({ ALLOWED_TENANT_IDS: 'some-other-tenant' }, { log: captured.log });
  });
  after(async () => running.stop());

  it('refuses an activity from a tenant not on the list before reading any state', async () => {
    const storeRequestsBefore = running.laget.store.embedded!.requestCount;
    const response = await running.post(message(running.connector.url, users.kari, 'hjelp'));
    assert.equal(response.status, 200);
    assert.equal(running.connector.calls.length, 0, 'nothing was sent to a foreign tenant');
    assert.equal(running.laget.store.embedded!.requestCount, storeRequestsBefore, 'no store request was made');
    const refusal = captured.lines.find((line) => String(line.msg).includes('tenant that is not allowed'));
    assert.ok(refusal, 'the refusal is logged');
    assert.equal(refusal.tenant, TENANT_ID, 'with the tenant it came from');
  });
});

describe('starting in production without credentials', () => {
  it('refuses to start within seconds, naming the missing variable', async function () {
    this.timeout(15_000);
    const child = spawn(process.execPath, [join(projectRoot, 'dist/src/index.js')], {
      env: { PATH: process.env.PATH, LAGET_ENV: 'production', COSMOS_ENDPOINT: 'https://x.documents.azure.com/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // It exits on its own (this test's timeout would catch a process that waited on something).
    assert.notEqual(code, 0);
    assert.match(stderr, /BOT_ID is required when LAGET_ENV=production/);
    assert.ok(!stderr.includes(BOT.id));
  });
});
