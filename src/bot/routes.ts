import type { Clock } from '../clock';
import type { ConversationPort } from '../scheduler/conversation-port';
import { Approvals } from './approvals';
import { CaseWork } from './case-work';
import { COLLEAGUES_DATASET, searchColleagues } from './colleague-search';
import { devClock, isClockCommand } from './dev-clock';
import { LadderFlow } from './ladder-flow';
import { MyCases } from './my-cases';
import {
  CHANNEL,
  command,
  EVERYWHERE,
  execute,
  fileConsent,
  GROUP_CHAT,
  installed,
  PERSONAL,
  phrase,
  RouteTable,
  search,
  submit,
  type Route,
} from './router';
import { ReportFlow } from './report';
import type { Services } from './services';
import { TeamsFlow } from './teams';
import { UroFlow } from './uro-flow';
import { Welcome } from './welcome';

/**
 * The route table: every command and card verb Laget answers, declared once — where it may run
 * (personal chat, group chat, team channel), what triggers it (its command words or its verb, whose
 * strict schema is in src/cards/payloads.ts), and its handler. What triggers a route decides its
 * activity types: a typed command or an Action.Submit is a `message`, an Action.Execute an
 * `invoke`, an installation a `conversationUpdate`; an edit, a deletion or a reaction runs nothing.
 * Every route needs a signed identity outside local runs unless it says otherwise.
 *
 * Anything that shows or changes a case runs in the personal chat only: the guard that refuses it
 * elsewhere, the answer to an invalid payload and the channel's allow-list all come from here
 * (src/bot/router.ts); test/integration/routes.test.ts walks every route × conversation kind ×
 * activity type.
 */
export function lagetRoutes(services: Services, deps: { direct: ConversationPort; clock?: Clock }): RouteTable {
  const welcome = new Welcome(services);
  const uro = new UroFlow(services);
  const ladder = new LadderFlow(services);
  const leader = new Approvals(services);
  const mine = new MyCases(services);
  const work = new CaseWork(services);
  const teams = new TeamsFlow(services, deps.direct);
  const report = new ReportFlow(services);
  const clock = deps.clock;

  const routes: Route[] = [
    // Local only: "klokke +8d" moves Laget's clock, wherever it is written.
    ...(services.config.environment === 'local' && clock ? [phrase('klokke', isClockCommand, EVERYWHERE, devClock(services, clock))] : []),

    // First contact and help: what each conversation may see.
    installed(PERSONAL, (c) => welcome.installedInPersonalChat(c)),
    installed(GROUP_CHAT, (c) => welcome.installedInGroupChat(c), { signedIdentity: false }),
    installed(CHANNEL, (c) => teams.installed(c), { signedIdentity: false }),
    command('help', EVERYWHERE, (c) => welcome.help(c)),
    submit('welcome.show', EVERYWHERE, (c) => welcome.help(c)),

    // The URO conversation.
    command('newCase', PERSONAL, (c) => uro.start(c)),
    command('resume', PERSONAL, (c) => uro.resume(c)),
    command('cancel', PERSONAL, (c) => uro.cancel(c)),
    submit('uro.new', PERSONAL, (c) => uro.start(c)),
    submit('flow.cancel', PERSONAL, (c, d) => uro.cancel(c, d)),
    submit('uro.start', PERSONAL, (c, d) => uro.create(c, d), { onInvalid: uro.invalid }),
    submit('uro.show', PERSONAL, (c, d) => uro.show(c, d, d.view, d.item)),
    submit('uro.report', PERSONAL, (c, d) => uro.report(c, d), { onInvalid: uro.invalid }),
    submit('uro.suspect', PERSONAL, (c, d) => uro.suspect(c, d)),
    submit('uro.zone', PERSONAL, (c, d) => uro.zone(c, d), { onInvalid: uro.invalid }),
    submit('uro.close', PERSONAL, (c, d) => uro.close(c, d)),
    submit('uro.delete-draft', PERSONAL, (c, d) => uro.deleteDraft(c, d)),
    submit('uro.part-a', PERSONAL, (c, d) => uro.partA(c, d), { onInvalid: uro.invalid }),
    submit('uro.part-b', PERSONAL, (c, d) => uro.partB(c, d), { onInvalid: uro.invalid }),
    submit('uro.part-c', PERSONAL, (c, d) => uro.partC(c, d), { onInvalid: uro.invalid }),
    submit('uro.stage-1', PERSONAL, (c, d) => uro.stage1(c, d), { onInvalid: uro.invalid }),
    submit('uro.stage-1-note', PERSONAL, (c, d) => uro.stage1Note(c, d), { onInvalid: uro.invalid }),
    submit('case.evaluation', PERSONAL, (c, d) => uro.evaluation(c, d), { onInvalid: uro.invalid }),

    // The owner's cases and the ladder.
    command('myCases', PERSONAL, (c) => mine.show(c)),
    submit('cases.mine', PERSONAL, (c, d) => mine.show(c, d.page)),
    submit('cases.closed', PERSONAL, (c, d) => mine.closed(c, d.page)),
    submit('case.export', PERSONAL, (c, d) => mine.export(c, d)),
    submit('ladder.enter', PERSONAL, (c, d) => ladder.enter(c, d)),
    submit('ladder.request', PERSONAL, (c, d) => ladder.request(c, d)),
    submit('consent.record', PERSONAL, (c, d) => ladder.recordConsent(c, d)),
    submit('consent.refuse', PERSONAL, (c, d) => ladder.refuseConsent(c, d)),
    submit('consent.withdraw-form', PERSONAL, (c, d) => ladder.withdrawForm(c, d)),
    submit('consent.withdraw', PERSONAL, (c, d) => ladder.withdrawConsent(c, d)),
    submit('baton.offer', PERSONAL, (c, d) => ladder.offer(c, d)),
    submit('baton.withdraw', PERSONAL, (c, d) => ladder.withdrawHandover(c, d)),
    submit('baton.accept', PERSONAL, (c, d) => ladder.answerOffer(c, d, 'accept-handover')),
    submit('baton.decline', PERSONAL, (c, d) => ladder.answerOffer(c, d, 'decline-handover')),
    submit('baton.view', PERSONAL, (c, d) => ladder.showOffer(c, d)),
    // The baton picker's search field in a large unit (Teams' Data.Query typeahead).
    search(COLLEAGUES_DATASET, PERSONAL, (c, q) => searchColleagues(c, services, q)),

    // The work on a case between the moves of the ladder: minutes, goals, actions, the child's voice, dates, closing.
    submit('case.meeting', PERSONAL, work.handle('case.meeting'), { onInvalid: work.invalid }),
    submit('case.sign-meeting', PERSONAL, work.handle('case.sign-meeting'), { onInvalid: work.invalid }),
    submit('case.goal', PERSONAL, work.handle('case.goal'), { onInvalid: work.invalid }),
    submit('case.action', PERSONAL, work.handle('case.action'), { onInvalid: work.invalid }),
    submit('case.action-done', PERSONAL, work.handle('case.action-done'), { onInvalid: work.invalid }),
    submit('case.action-edit', PERSONAL, work.handle('case.action-edit'), { onInvalid: work.invalid }),
    submit('case.voice', PERSONAL, work.handle('case.voice'), { onInvalid: work.invalid }),
    submit('case.reschedule', PERSONAL, work.handle('case.reschedule'), { onInvalid: work.invalid }),
    submit('case.withdraw-request', PERSONAL, work.handle('case.withdraw-request'), { onInvalid: work.invalid }),
    submit('case.close', PERSONAL, work.handle('case.close'), { onInvalid: work.invalid }),
    submit('case.reopen', PERSONAL, work.handle('case.reopen'), { onInvalid: work.invalid }),

    // The nearest leader.
    execute('approval.decide', PERSONAL, (c, d) => leader.decide(c, d)),
    execute('approval.refresh', PERSONAL, (c, d) => leader.refresh(c, d)),
    command('approvals', PERSONAL, (c) => leader.listApprovals(c)),
    command('units', PERSONAL, (c) => leader.listUnits(c)),
    submit('leader.approvals', PERSONAL, (c, d) => leader.listApprovals(c, d.page)),
    submit('leader.units', PERSONAL, (c, d) => leader.listUnits(c, d.page)),
    submit('leader.open', PERSONAL, (c, d) => leader.open(c, d)),
    submit('leader.case', PERSONAL, (c, d) => leader.leaderCase(c, d)),
    submit('leader.reassign-form', PERSONAL, (c, d) => leader.reassignForm(c, d)),
    submit('baton.reassign', PERSONAL, (c, d) => leader.reassign(c, d)),

    // The coordinators' tertial report: figures only, and its spreadsheet through Teams' file consent card.
    command('report', PERSONAL, (c) => report.show(c, {})),
    submit('report.show', PERSONAL, (c, d) => report.show(c, d)),
    submit('report.xlsx', PERSONAL, (c, d) => report.offerFile(c, d)),
    fileConsent('accept', PERSONAL, (c, response) => report.upload(c, response)),
    fileConsent('decline', PERSONAL, (c) => report.declined(c)),

    // The interdisciplinary team: set up and topics in its channel; cases and minutes from a personal chat.
    // Who may do each is decided by the TeamService from the Teams roster and the municipality, never from card data.
    phrase('sett opp team', ['sett opp team', 'sett opp teamet', 'set up team', 'oppsett', 'setup'], CHANNEL, (c) => teams.setupForm(c)),
    phrase('tema', ['tema', 'nytt tema', 'topic', 'meld inn tema'], CHANNEL, (c) => teams.topicForm(c)),
    submit('team.setup-form', CHANNEL, (c, d) => teams.setupForm(c, d.scheduleKind)),
    submit('team.setup-cancel', CHANNEL, (c) => teams.setupCancelled(c)),
    submit('team.setup', CHANNEL, (c, d) => teams.setup(c, d)),
    submit('team.topic-form', CHANNEL, (c) => teams.topicForm(c)),
    submit('team.topic', CHANNEL, (c, d) => teams.topic(c, d)),
    submit('team.remove-topic', CHANNEL, (c, d) => teams.removeTopic(c, d)),
    // "Skriv referat" answers the presser alone: the form goes to their own chat, the channel stays as it is.
    execute('team.minutes-form', CHANNEL, async (c, d) => ({ type: 'message', text: (await teams.minutesForm(c, d)).text })),
    // The same button on minutes posts from before it was an Action.Execute (answered in the channel, as every message is).
    submit('team.minutes-form', CHANNEL, (c, d) => teams.minutesFormFromOldPost(c, d)),
    submit('team.minutes', PERSONAL, (c, d) => teams.minutes(c, d)),
    submit('team.close-meeting', PERSONAL, (c, d) => teams.closeMeeting(c, d)),
    submit('team.bring', PERSONAL, (c, d) => teams.bring(c, d)),
    submit('team.withdraw', PERSONAL, (c, d) => teams.withdraw(c, d)),
    submit('team.add-measures', PERSONAL, (c, d) => teams.addMeasures(c, d)),
  ];
  return new RouteTable(routes);
}
