import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { myCasesCard } from '../cards/case';
import { Payloads } from '../cards/payloads';
import { uroPosition } from '../domain/uro-progress';
import { commandOf } from './commands';
import { localeOf, sendCard } from './replies';
import { personOf, turnOf, type Services } from './services';
import { onSubmit } from './submit';

/** "mine saker": the person's open cases (and cases offered to them), each with a button to continue. */
export function registerMyCases(app: Application<TurnState>, services: Services): void {
  const show = async (context: BotTurnContext) => {
    const me = personOf(context);
    const person = await services.people.read(me.id);
    const unitIds = person?.doc.unitIds ?? [];
    const found = await services.cases.listOwned(turnOf(context, services), unitIds);
    const lines = found
      .map(({ doc }) => ({ case: doc, position: uroPosition(doc, services.ladder), offered: doc.owner.id !== me.id }))
      .sort((a, b) => (a.case.updatedAt < b.case.updatedAt ? 1 : -1));
    await sendCard(context, myCasesCard(localeOf(context), services.ladder, lines));
  };
  app.message(async (context) => commandOf(context.activity.text) === 'myCases', show);
  onSubmit(app, 'cases.mine', Payloads['cases.mine'], show);
}
