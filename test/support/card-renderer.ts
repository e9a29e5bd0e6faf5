import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/paths';
import { launchChromium } from './browser';

const SCREENSHOT_DIR = join(projectRoot, 'test/browser/__screenshots__');

/** What the real adaptivecards renderer made of a card. */
export type Rendered = {
  /** Parse and validation events the library reported (unknown elements, bad values, …). */
  problems: string[];
  /** Titles of the buttons a person can see. */
  buttons: string[];
};

/** What the card would send to the bot when a button is pressed: its data merged with the inputs. */
export type Pressed = { type: string; verb?: string; data: Record<string, unknown> };

/** A Teams-like look: Segoe UI-ish fonts, Teams' default text colours and spacing. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: 'horizontal', showCard: { actionMode: 'inline' } },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        attention: { default: '#C4314B' },
        good: { default: '#237B4B' },
      },
    },
    emphasis: { backgroundColor: '#F5F5F5' },
    attention: { backgroundColor: '#FDE7E9' },
    warning: { backgroundColor: '#FFF4CE' },
    good: { backgroundColor: '#E7F2DA' },
    accent: { backgroundColor: '#E8EBFA' },
  },
};

const PAGE = `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<style>body{margin:0;padding:16px;background:#f0f0f0;font-family:'Segoe UI',system-ui,sans-serif}
#card{width:520px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}
.ac-pushButton{border:1px solid #d1d1d1;border-radius:4px;background:#fff;padding:6px 12px;font-weight:600;cursor:pointer}
.ac-input{border:1px solid #d1d1d1;border-radius:4px;padding:4px}</style></head>
<body><div id="card"></div></body></html>`;

/**
 * Renders cards with the real `adaptivecards` library in headless Chromium, as a Teams client
 * would, saves a PNG of each for a person to look at, and presses buttons to see what the
 * card would submit.
 */
export class CardRenderer {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
  ) {}

  static async start(): Promise<CardRenderer> {
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 1 });
    await page.setContent(PAGE);
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    return new CardRenderer(browser, page);
  }

  async render(card: object): Promise<Rendered> {
    /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access,
       @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return --
       this function runs in Chromium, where the page's AdaptiveCards bundle and DOM have no types (tsconfig has no "dom" lib) */
    return this.page.evaluate(
      ({ card, hostConfig }) => {
        const AC = (globalThis as any).AdaptiveCards;
        const adaptiveCard = new AC.AdaptiveCard();
        adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
        const context = new AC.SerializationContext();
        const pressed: unknown[] = [];
        (globalThis as any).__pressed = pressed;
        adaptiveCard.onExecuteAction = (action: any) => {
          pressed.push({
            type: action.getJsonTypeName(),
            verb: action.verb,
            data: { ...(action.data ?? {}) },
          });
        };
        adaptiveCard.parse(card, context);
        const problems: string[] = [];
        for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
        for (const event of adaptiveCard.validateProperties().validationEvents) problems.push(event.message);
        const host = (globalThis as any).document.getElementById('card');
        host.innerHTML = '';
        host.appendChild(adaptiveCard.render());
        const buttons = Array.from(host.querySelectorAll('button')).map((b: any) => b.title || b.textContent);
        return { problems, buttons };
      },
      { card, hostConfig: HOST_CONFIG },
    );
    /* eslint-enable */
  }

  /** Fills an input of the rendered card (by its id) as a person would. */
  async fill(inputId: string, value: string): Promise<void> {
    await this.page.locator(`#card [id="${inputId}"], #card [aria-labelledby][id^="${inputId}"]`).first().fill(value);
  }

  /** Presses a button of the rendered card by its title and returns what the card submitted. */
  async press(title: string): Promise<Pressed | undefined> {
    await this.page.locator('#card button', { hasText: title }).first().click();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- runs in Chromium, like render's
    return this.page.evaluate(() => ((globalThis as any).__pressed as Pressed[]).at(-1));
  }

  async screenshot(name: string): Promise<string> {
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.locator('#card').screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
