import type { TurnContext as BotTurnContext } from 'botbuilder';
import { closedCasesCard, myCasesCard } from '../cards/case';
import { refusalCard } from '../cards/common';
import { caseSummaryText } from '../cards/export';
import type { PayloadOf } from '../cards/payloads';
import { deletionDay } from '../cards/work';
import type { Case } from '../domain/case';
import { uroPosition } from '../domain/uro-progress';
import { ownerWorkOrder, PAGE_SIZE } from '../domain/worklist';
import { refusalText } from '../i18n';
import { unitsWithOwnCases } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { personOf, turnOf, type Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type MyCasesNeeds = Needs<'cases' | 'config' | 'municipality' | 'now' | 'people'>;

/** "mine saker": the person's open cases (and cases offered to them), each with a button to continue; the closed ones; the owner's export. */
export class MyCases {
  constructor(private readonly services: MyCasesNeeds) {}

  /** A page of the person's cases, what needs action first (src/domain/worklist.ts). */
  async show(context: BotTurnContext, page = 1): Promise<void> {
    const services = this.services;
    const me = personOf(context);
    const person = await services.people.read(me.id);
    const unitIds = unitsWithOwnCases(context, person?.doc.unitIds);
    const ladderOf = (c: Case) => services.cases.ladderOf(c);
    const order = ownerWorkOrder(me.id, services.now(), ladderOf, services.config.timeZone);
    const shown = await services.cases.listOwned(turnOf(context, services), unitIds, { order, page });
    const lines = shown.rows.map(({ doc }) => ({ case: doc, position: uroPosition(doc, ladderOf(doc)), offered: doc.owner.id !== me.id }));
    await sendCard(
      context,
      myCasesCard(localeOf(context), ladderOf, lines, { ...shown, size: PAGE_SIZE, next: (n) => ({ verb: 'cases.mine', page: n }) }),
    );
  }

  /** A page of the person's closed cases while Laget keeps them (the most recently closed first): to read, export or reopen. */
  async closed(context: BotTurnContext, page = 1): Promise<void> {
    const services = this.services;
    const person = await services.people.read(personOf(context).id);
    const order = (cases: readonly Case[]) => [...cases].sort((a, b) => ((a.closed?.at ?? '') < (b.closed?.at ?? '') ? 1 : -1));
    const shown = await services.cases.listClosed(turnOf(context, services), person?.doc.unitIds ?? [], { order, page });
    await sendCard(
      context,
      closedCasesCard(
        localeOf(context),
        shown.rows.map(({ doc }) => doc),
        (c) => deletionDay(c, services, services.config.timeZone),
        { ...shown, size: PAGE_SIZE, next: (n) => ({ verb: 'cases.closed', page: n }) },
      ),
    );
  }

  /** The owner's export for the unit's journal: audited as an export, shown only in their own chat. */
  async export(context: BotTurnContext, data: PayloadOf<'case.export'>): Promise<void> {
    const services = this.services;
    const opened = await services.cases.open(turnOf(context, services), { caseId: data.caseId, unitId: data.unitId }, 'export');
    if (opened.kind === 'refused') {
      await sendCard(context, refusalCard(localeOf(context), refusalText(localeOf(context), opened.reason), { reason: opened.reason }));
      return;
    }
    await context.sendActivity({
      type: 'message',
      textFormat: 'markdown',
      text: caseSummaryText(
        localeOf(context),
        opened.case,
        services.cases.ladderOf(opened.case),
        services.municipality,
        services.config.timeZone,
      ),
    });
  }
}
