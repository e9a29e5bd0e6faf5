import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { AuditLog } from '../../src/store/audit-log';
import { heldMeetingChange } from '../../src/domain/report/counters';
import { tertialAt } from '../../src/domain/report/period';
import { dayOf } from '../../src/domain/time';
import { seedLocal } from '../../scripts/seed-local';
import { users, type TestUser } from '../support/activities';
import { allText, Conversation, lastCard, type Reply } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { startGreyZoneCase } from '../support/uro-walk';

/**
 * The tertial report through real HTTP: who gets which report (and its audit entry), the card
 * with its chart, and the spreadsheet through Teams' file consent flow with a fake upload
 * endpoint on 127.0.0.1 — holding the same figures as the card.
 */

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/** Where Teams would let the bot upload: records what arrives. */
class FakeUpload {
  readonly received: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
  private server?: Server;
  status = 201;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.status, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/upload/session-1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function attachmentsOf(replies: Reply[]): { contentType: string; content?: Record<string, unknown>; name?: string; contentUrl?: string }[] {
  return replies.flatMap((r) => (r.activity.attachments as never[] | undefined) ?? []);
}

describe('the tertial report in Teams', () => {
  let running: Running;
  let upload: FakeUpload;
  const now = new Date();
  before(async () => {
    running = await startTestLaget();
    await seedLocal(running.laget, now);
    upload = await new FakeUpload().start();
  });
  after(async () => {
    await running.stop();
    await upload.stop();
  });

  async function reportEntries(user: TestUser) {
    const id = `report:${running.laget.services.municipality.id}:${tertialAt(now).id}`;
    return (await new AuditLog(running.laget.store.containers.audit).forCase(id)).filter((e) => e.actorId === user.aadObjectId);
  }

  it('gives the coordinator the whole municipality, per unit, with the chart, audited once as an aggregate read', async () => {
    const chat = new Conversation(running, users.kim);
    const card = lastCard(await chat.say('rapport'));
    const text = textOf(card);
    assert.match(text, new RegExp(`Tertialrapport ${tertialAt(now).id}`));
    assert.match(text, /Hele kommunen, per enhet/);
    assert.ok(text.indexOf('Avvik') < text.indexOf('Nøkkeltall'), 'deviations come first');
    assert.match(text, /Evalueringer på overtid/);
    const image = JSON.stringify(card).match(/data:image\/png;base64,[A-Za-z0-9+/=]+/);
    assert.ok(image, 'the chart is in the card');
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 25 * 1024, 'within Teams card limits');
    assert.doesNotMatch(text, /E\.H\.|UR-[0-9A-Z]{4}/, 'no alias and no case code in a report');
    const entries = await reportEntries(users.kim);
    assert.deepEqual(
      entries.map((e) => [e.operation, e.basis, e.outcome, e.command]),
      [['report-read', 'coordinator', 'allowed', 'municipality']],
    );
  });

  it('gives a leader the units they lead only; the other leader theirs; staff and strangers nothing (each audited)', async () => {
    const per = textOf(lastCard(await new Conversation(running, users.per).say('rapport')));
    assert.match(per, /Dine enheter: Solsikken barnehage/);
    assert.doesNotMatch(per, /Bjørkelangen/);
    const ola = textOf(lastCard(await new Conversation(running, users.ola).say('rapport')));
    assert.match(ola, /Dine enheter: Bjørkelangen skole/);
    assert.doesNotMatch(ola, /Solsikken/);
    for (const who of [users.kari, { aadObjectId: 'aad-stranger', mri: '29:stranger', name: 'Sam Fremmed' }]) {
      const replies = await new Conversation(running, who).say('rapport');
      assert.match(allText(replies), /Rapporten er for koordinatorer og ledere/);
      assert.equal(lastCard(replies), undefined, 'no report card');
      assert.deepEqual(
        (await reportEntries(who)).map((e) => [e.outcome, e.reason]),
        [['refused', 'no-report-access']],
      );
    }
    assert.deepEqual(
      (await reportEntries(users.per)).map((e) => [e.basis, e.command]),
      [['leader', 'units:solsikken-barnehage']],
    );
  });

  it('offers the report on the welcome card to coordinators and leaders, not to staff', async () => {
    assert.match(textOf(lastCard(await new Conversation(running, users.kim).say('hjelp'))), /Rapport/);
    assert.doesNotMatch(textOf(lastCard(await new Conversation(running, users.kari).say('hjelp'))), /Rapport/);
  });

  it('counts a new case in the same tertial as soon as it is saved', async () => {
    const chat = new Conversation(running, users.kim);
    const before = textOf(lastCard(await chat.say('rapport')));
    await startGreyZoneCase(running, users.kari);
    const after = textOf(lastCard(await chat.say('rapport')));
    const newCases = (text: string) => Number(/Nye saker\n(\d+)/.exec(text)?.[1]);
    assert.equal(newCases(after), newCases(before) + 1);
  });

  it('delivers the spreadsheet through the file consent flow, with the same figures as the card', async () => {
    // Two team meetings held this month, as the TeamService counts them: Bjørkelangen's team's, and an oppvekstforum's across units.
    const day = dayOf(now, 'Europe/Oslo');
    for (const [teamId, unitId, anonymous, named] of [
      ['t-bjorkelangen', 'bjorkelangen-skole', 2, 1],
      ['t-oppvekstforum', null, 1, 3],
    ] as const) {
      const held = { at: now.toISOString(), by: { id: users.ola.aadObjectId, name: users.ola.name }, anonymous, named, topics: 0 };
      await running.laget.repositories.reportCounters.apply(
        heldMeetingChange({ teamId, unitId }, { meetingId: `${day}-0900`, date: day, held })!,
        now,
      );
    }
    const chat = new Conversation(running, users.kim);
    const card = lastCard(await chat.say('rapport'));
    const offered = await chat.press(card, 'Last ned som regneark');
    const consent = attachmentsOf(offered).find((a) => a.contentType === FILE_CONSENT);
    assert.ok(consent, 'a file consent card');
    assert.match(String(consent.name), /\.xlsx$/);
    const acceptContext = consent.content!.acceptContext as Record<string, unknown>;
    // The person accepts: Teams sends the invoke with where to upload.
    const invoke = {
      type: 'invoke',
      name: 'fileConsent/invoke',
      id: `consent-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: running.connector.url,
      from: { id: users.kim.mri, name: users.kim.name, aadObjectId: users.kim.aadObjectId },
      recipient: { id: '28:laget-bot', name: 'Laget' },
      conversation: { id: chat.conversationId, conversationType: 'personal', tenantId: 'tenant-laget-test' },
      channelData: { tenant: { id: 'tenant-laget-test' } },
      value: {
        type: 'fileUpload',
        action: 'accept',
        context: acceptContext,
        uploadInfo: {
          name: consent.name,
          uploadUrl: upload.url,
          contentUrl: 'https://contoso.example/personal/kim/Documents/report.xlsx',
          uniqueId: 'file-1',
          fileType: 'xlsx',
        },
      },
    };
    const before = running.connector.calls.length;
    const answer = await running.post(invoke);
    assert.equal(answer.status, 200);
    assert.equal(upload.received.length, 1);
    const sent = upload.received[0]!;
    assert.match(String(sent.headers['content-range']), new RegExp(`^bytes 0-${sent.body.length - 1}/${sent.body.length}$`));
    const info = running.connector.calls
      .slice(before)
      .flatMap((c) => (c.activity.attachments as { contentType: string; contentUrl?: string }[] | undefined) ?? [])
      .find((a) => a.contentType === FILE_INFO);
    assert.ok(info, 'a file info card after the upload');
    assert.equal(info.contentUrl, 'https://contoso.example/personal/kim/Documents/report.xlsx');

    // The workbook opens with exceljs and holds the card's figures.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(sent.body as unknown as ArrayBuffer);
    const cardText = textOf(card);
    const deviations = workbook.getWorksheet('Avvik')!;
    const totals = deviations.getRow(deviations.rowCount).values as unknown[];
    const overdue = /Evalueringer på overtid\n(.+)/.exec(cardText)![1]!;
    assert.equal(String(totals[2]), overdue);
    const newSheet = workbook.getWorksheet('Nye saker')!;
    const newTotal = (newSheet.getRow(newSheet.rowCount).values as unknown[])[2];
    assert.equal(String(newTotal), /Nye saker\n(.+)/.exec(cardText)![1]);
    const meetings = workbook.worksheets.find((sheet) => sheet.name.startsWith('Møter holdt i tverrfaglige team'))!;
    const rows = meetings.getSheetValues().map((row) => (row as unknown[] | undefined)?.slice(1).map(String));
    assert.deepEqual(
      rows.at(-2),
      ['Team på tvers av enheter', 'under 5', 'under 5', 'under 5'],
      'the teams across units have a row of their own',
    );
    const [held, anonymous, named] = rows.at(-1)!.slice(1);
    assert.deepEqual([held, anonymous, named], ['2', '3', '4']);
    assert.equal(held, /Teammøter holdt\n(.+)/.exec(cardText)![1]);
    assert.equal(`${anonymous} / ${named}`, /Saker drøftet i teammøtene \(anonymt \/ med navn\)\n(.+)/.exec(cardText)![1]);
  });

  it('refuses a forged file consent answer from someone with no right to the report: nothing is uploaded', async () => {
    const before = upload.received.length;
    const forged = {
      type: 'invoke',
      name: 'fileConsent/invoke',
      id: `forged-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: running.connector.url,
      from: { id: users.kari.mri, name: users.kari.name, aadObjectId: users.kari.aadObjectId },
      recipient: { id: '28:laget-bot', name: 'Laget' },
      conversation: {
        id: new Conversation(running, users.kari).conversationId,
        conversationType: 'personal',
        tenantId: 'tenant-laget-test',
      },
      channelData: { tenant: { id: 'tenant-laget-test' } },
      value: {
        type: 'fileUpload',
        action: 'accept',
        context: {},
        uploadInfo: {
          name: 'x.xlsx',
          uploadUrl: upload.url,
          contentUrl: 'https://contoso.example/x.xlsx',
          uniqueId: 'f',
          fileType: 'xlsx',
        },
      },
    };
    assert.equal((await running.post(forged)).status, 200);
    assert.equal(upload.received.length, before, 'no spreadsheet for a staff member');
  });

  it('says so plainly when the client cannot take files (the Agents Playground)', async () => {
    const chat = new Conversation(running, users.kim);
    const activity = {
      type: 'message',
      id: `xlsx-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: `${running.connector.url}_connector`,
      from: { id: users.kim.mri, name: users.kim.name, aadObjectId: users.kim.aadObjectId },
      recipient: { id: '28:laget-bot', name: 'Laget' },
      conversation: { id: chat.conversationId, conversationType: 'personal', tenantId: 'tenant-laget-test' },
      channelData: { tenant: { id: 'tenant-laget-test' } },
      value: { verb: 'report.xlsx' },
    };
    const before = running.connector.received.length;
    assert.equal((await running.post(activity)).status, 200);
    const said = running.connector.received.slice(before).map((c) => (typeof c.activity.text === 'string' ? c.activity.text : ''));
    assert.ok(
      said.some((t) => /kan ikke ta imot filer/.test(t)),
      said.join('\n'),
    );
  });
});
