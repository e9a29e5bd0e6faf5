import type { TurnContext } from 'botbuilder';
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { formatInstant } from '../i18n';
import { localeOf } from './replies';
import type { Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type DevClockNeeds = Needs<'config' | 'wake'>;

/**
 * Local only (LAGET_ENV=local): "klokke +8d", "klokke +3t", "klokke 2026-03-10 08:00" or
 * "klokke nå" moves Laget's clock, then lets the scheduler catch up at once — so a person trying
 * Laget in the Playground can see the call for cases, the agenda and reminders appear.
 */
export function isClockCommand(text: string): boolean {
  return /^\s*(<at>[^<]*<\/at>\s*)?(klokke|clock)\b/i.test(text);
}

export function devClock(services: DevClockNeeds, clock: Clock): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const argument = (context.activity.text ?? '')
      .replace(/<at>[^<]*<\/at>/gi, '')
      .replace(/^\s*(klokke|clock)\s*/i, '')
      .trim();
    const relative = /^\+(\d{1,3})\s*(d|t|h|m)$/i.exec(argument);
    if (relative) {
      const amount = Number(relative[1]);
      const unit = relative[2]!.toLowerCase();
      clock.advance(amount * (unit === 'd' ? 86_400_000 : unit === 'm' ? 60_000 : 3_600_000));
    } else if (/^(nå|now|reset)$/i.test(argument)) {
      clock.reset();
    } else if (argument !== '') {
      const at = DateTime.fromFormat(argument, 'yyyy-MM-dd HH:mm', { zone: services.config.timeZone });
      if (!at.isValid) {
        await context.sendActivity('Bruk «klokke +8d», «klokke +3t», «klokke 2026-03-10 08:00» eller «klokke nå».');
        return;
      }
      clock.set(at.toJSDate());
    }
    services.wake();
    await context.sendActivity(
      `Lagets klokke (kun lokalt): ${formatInstant(clock.now().toISOString(), localeOf(context), services.config.timeZone)}`,
    );
  };
}
