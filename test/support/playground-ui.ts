import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/**
 * A person in front of the Microsoft 365 Agents Playground's web UI, in headless Chromium: types
 * into the compose box, reads the bot's cards, clicks their buttons and fills their inputs by the
 * labels a person sees. Selectors are ARIA roles and labels (the class names are hashed), as found
 * in /tmp/playground-notes.md §7:
 *  - compose box: [role="textbox"][contenteditable="true"]; one chat message: the parent of its
 *    "Message header"; the bot's messages have a "Message author" naming the bot;
 *  - card buttons: button[aria-label="<title>"]; card inputs: radiogroup / combobox / textbox /
 *    checkbox named by their labels.
 *  - a channel: each post is a [role="group"]; a new post that @mentions the bot is typed as
 *    "@<bot>", picked from the menu, and sent with the "Post" button.
 * Used by test/e2e/playground-ui.test.ts.
 */

const SELECTORS = {
  composeBox: '[role="textbox"][contenteditable="true"]',
  message: 'div:has(> [aria-label="Message header"])',
  author: '[aria-label="Message author"]',
  card: '.ac-adaptiveCard',
  cardButton: (title: string) => `button[aria-label="${title.replace(/"/g, '\\"')}"]`,
  /** A post in a channel (the channel view has no message headers): a Fluent card with role=group. */
  channelPost: '[role="group"]',
  conversation: (name: string) => ({ role: 'treeitem' as const, name }),
};

export class PlaygroundPage {
  private shots = 0;

  private constructor(
    readonly page: Page,
    readonly botName: string,
    private readonly artifactsDir: string,
  ) {}

  /** Opens the Playground as its signed-in person; the UI installs the bot in the personal chat. */
  static async open(browser: Browser, url: string, options: { botName: string; artifactsDir: string }): Promise<PlaygroundPage> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(15_000);
    mkdirSync(options.artifactsDir, { recursive: true });
    await page.goto(url.replace('//localhost:', '//127.0.0.1:'));
    await page.locator(SELECTORS.composeBox).first().waitFor();
    return new PlaygroundPage(page, options.botName, options.artifactsDir);
  }

  /** Every message the bot sent in the open conversation that holds a card, oldest first. */
  botCards(): Locator {
    return this.page
      .locator(SELECTORS.message)
      .filter({ has: this.page.locator(SELECTORS.author, { hasText: this.botName }) })
      .filter({ has: this.page.locator(SELECTORS.card) });
  }

  /**
   * The cards the bot posted or answered with in the open channel: the channel view shows each post
   * as a group (newest first), its replies inside it, and no message headers.
   */
  channelCards(): Locator {
    return this.page.locator(SELECTORS.channelPost).locator(SELECTORS.card);
  }

  /** Starts a new post in the open channel that @mentions the bot, as a person does (Teams delivers only those). */
  async post(text: string): Promise<void> {
    await this.page.locator(SELECTORS.composeBox).first().click();
    await this.page.keyboard.type(`@${this.botName}`);
    await this.page.getByRole('menuitem', { name: this.botName }).click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** Writes `text` in the compose box and sends it, as a person does. */
  async say(text: string): Promise<void> {
    const box = this.page.locator(SELECTORS.composeBox).first();
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Does `action` and waits for a new card from the bot whose text matches `expected` (one more
   * than there were before); returns it.
   */
  async expectCard(action: () => Promise<void>, expected: RegExp, timeoutMs = 15_000, cards: Locator = this.botCards()): Promise<Locator> {
    const matching = cards.filter({ hasText: expected });
    const before = await matching.count();
    await action();
    const deadline = Date.now() + timeoutMs;
    while ((await matching.count()) <= before) {
      if (Date.now() > deadline) {
        const last = await cards
          .last()
          .innerText()
          .catch(() => '(no card)');
        throw new Error(`no new card matching ${expected} within ${timeoutMs} ms; the last card says:\n${last}`);
      }
      await this.page.waitForTimeout(100);
    }
    const card = matching.last();
    await card.scrollIntoViewIfNeeded();
    return card;
  }

  /** Clicks the card's button titled `title`. */
  async press(card: Locator, title: string): Promise<void> {
    await card.locator(SELECTORS.cardButton(title)).click();
  }

  /** Picks `option` for the question labelled `question`: a radio group (expanded) or a drop-down (compact). */
  async choose(card: Locator, question: RegExp, option: string): Promise<void> {
    const group = card.getByRole('radiogroup', { name: question });
    if ((await group.count()) > 0) {
      await group.getByRole('radio', { name: option, exact: true }).check();
      return;
    }
    await card.getByRole('combobox', { name: question }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  /** Types `value` into the text input labelled `label` (single or multi-line). */
  async fill(card: Locator, label: RegExp, value: string): Promise<void> {
    await card.getByRole('textbox', { name: label }).fill(value);
  }

  /** Sets the date input labelled `label` to `day` (YYYY-MM-DD). */
  async fillDate(card: Locator, label: RegExp, day: string): Promise<void> {
    const input = card.getByLabel(label).and(card.locator('input'));
    const type = await input.first().getAttribute('type');
    if (type === 'date') await input.first().fill(day);
    else {
      await input.first().fill(day);
      await input.first().press('Tab');
    }
  }

  /** Ticks the toggle labelled `label`. */
  async check(card: Locator, label: RegExp): Promise<void> {
    const toggle = card.getByRole('checkbox', { name: label }).or(card.getByRole('switch', { name: label }));
    await toggle.first().check();
  }

  /** Opens a conversation in the left rail (e.g. "Personal Chat", a channel). */
  async openConversation(name: string): Promise<void> {
    await this.page.getByRole('treeitem', { name }).click();
  }

  /** A numbered screenshot of the whole window, as a person saw it at this step. */
  async screenshot(step: string): Promise<string> {
    this.shots += 1;
    const file = join(this.artifactsDir, `${String(this.shots).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
