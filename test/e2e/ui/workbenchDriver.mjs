// Keyboard-and-DOM helpers that drive the VS Code 1.139 web workbench like a person (selectors pinned to that version).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Selectors checked against code-server 4.139.1 (VS Code 1.139.1); re-check them when the version pin moves.
export const SEL = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  editor: '.editor-instance .monaco-editor',
  squiggle: (kind) => `.monaco-editor .squiggly-${kind}`,
  markersPanel: '.markers-panel',
  markerRow: '.markers-panel .monaco-list-row',
  actionRow: '.action-widget .monaco-list-row',
  cursorStatus: '.statusbar-item[id="status.editor.selection"]',
};

export class WorkbenchDriver {
  /** @param {import('playwright-core').Page} page */
  constructor(page, { screenshotDir, timeoutMs = 30_000 } = {}) {
    this.page = page;
    this.timeoutMs = timeoutMs;
    this.screenshotDir = screenshotDir;
    this.shots = [];
  }

  /** Workbench shell rendered and, when a folder is open, the explorer listing it (the file service is up). */
  async ready({ folder = true } = {}) {
    await this.page.waitForSelector(SEL.workbench, { timeout: this.timeoutMs });
    if (folder) await this.page.waitForSelector(SEL.explorerRow, { timeout: this.timeoutMs });
  }

  /** Quick Open (Ctrl+P): types the name, waits for a matching result row, opens it, waits for its tab. */
  async openFile(name) {
    await this.page.keyboard.press('Control+P');
    await this.page.waitForSelector(SEL.quickInputBox, { state: 'visible', timeout: this.timeoutMs });
    await this.page.keyboard.type(name);
    // Enter before the file search answers would open nothing: wait for a row that names the file.
    await this.page.locator(SEL.quickInputRow, { hasText: name }).first().waitFor({ timeout: this.timeoutMs });
    await this.page.keyboard.press('Enter');
    await this.page.locator(SEL.activeTab, { hasText: name }).waitFor({ timeout: this.timeoutMs });
    await this.page.locator(`${SEL.editor} .view-lines`).first().waitFor({ timeout: this.timeoutMs });
  }

  /** Polls (via playwright's waitForSelector) until a squiggle of that kind is rendered; returns how many. */
  async waitForSquiggle(kind = 'error') {
    await this.page.waitForSelector(SEL.squiggle(kind), { state: 'attached', timeout: this.timeoutMs });
    return this.page.locator(SEL.squiggle(kind)).count();
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its text once a row contains `expect` (any row if omitted). */
  async problemsText(expect) {
    await this.page.keyboard.press('Control+Shift+M');
    const row = this.page.locator(SEL.markerRow, expect ? { hasText: expect } : {}).first();
    await row.waitFor({ timeout: this.timeoutMs });
    return this.page.locator(SEL.markersPanel).innerText();
  }

  /** Go to Line/Column (Ctrl+G); focus must be in the editor, so it is clicked first. */
  async goTo(line, col = 1) {
    await this.focusEditor();
    await this.page.keyboard.press('Control+G');
    await this.page.waitForSelector(SEL.quickInputBox, { state: 'visible', timeout: this.timeoutMs });
    await this.page.keyboard.type(`${line}:${col}`);
    await this.page.keyboard.press('Enter');
    // The status bar shows "Ln X, Col Y" once the cursor has moved: a real signal instead of a sleep.
    await this.page.locator(SEL.cursorStatus, { hasText: `Ln ${line}, Col ${col}` }).waitFor({ timeout: this.timeoutMs });
  }

  async focusEditor() {
    // Escape closes any panel focus / quick input, then the focus command lands in the active editor group.
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+1');
  }

  /** Quick Fix (Ctrl+.) at the cursor, then clicks the action-widget row whose text is `title`. */
  async applyQuickFix(title) {
    await this.page.keyboard.press('Control+.');
    const row = this.page.locator(SEL.actionRow, { hasText: title }).first();
    try {
      await row.waitFor({ timeout: this.timeoutMs });
    } catch {
      // Name what the menu did offer: a renamed fix title is the usual cause.
      const offered = await this.page.locator(SEL.actionRow).allInnerTexts();
      throw new Error(`no quick fix titled '${title}' within ${this.timeoutMs} ms; the menu shows ${JSON.stringify(offered)}`);
    }
    await this.shot('quick-fix-menu');
    await row.click();
    await this.page.locator(SEL.actionRow).first().waitFor({ state: 'detached', timeout: this.timeoutMs });
  }

  /** Ctrl+S: first waits for the dirty mark (else the later "not dirty" check would pass before anything was saved). */
  async save() {
    await this.page.waitForSelector(`${SEL.activeTab}.dirty`, { state: 'attached', timeout: this.timeoutMs });
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
    await this.page.waitForSelector(`${SEL.activeTab}.dirty`, { state: 'detached', timeout: this.timeoutMs });
  }

  async squiggleCount(kind = 'error') {
    return this.page.locator(SEL.squiggle(kind)).count();
  }

  /** Waits until the number of squiggles of a kind drops below `before` (the fix took effect in the UI). */
  async waitForFewerSquiggles(kind, before) {
    await this.page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length < n,
      [SEL.squiggle(kind), before], { timeout: this.timeoutMs });
  }

  /** PNG of the whole window, numbered by stage so the files sort in the order they were taken. */
  async shot(name) {
    if (!this.screenshotDir) return null;
    mkdirSync(this.screenshotDir, { recursive: true });
    const file = join(this.screenshotDir, `${String(this.shots.length + 1).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    this.shots.push(file);
    return file;
  }
}
