// A person in front of n8n's form pages (Form Trigger, Form page, Form Ending, the send-and-wait
// form of an email): their own browser window, not logged in to n8n, filling fields by their
// labels, choosing an option by the text they read, submitting, reading the page that comes next
// and keeping the file it downloads. Each page they see is a screenshot.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';

import { openPage, type Screenshots } from '../../harness/browser';
import { assert } from '../e2e/support';

/** The headings of n8n's own form pages for a submission that went wrong. */
const N8N_FAILURE = /^(Problem submitting response|Could not get execution status)$/;

/** What a page of a form shows a person: its heading and its text. */
export interface ShownPage {
	heading: string;
	text: string;
}

export class Person {
	private constructor(
		readonly context: BrowserContext,
		readonly page: Page,
		private readonly shots: Screenshots,
	) {}

	/** A new browser window (its own cookies), the way a shop assistant opens the form's link. */
	static async arrive(browser: Browser, shots: Screenshots): Promise<Person> {
		const { context, page } = await openPage(browser);
		page.setDefaultTimeout(30_000);
		return new Person(context, page, shots);
	}

	async open(url: string): Promise<void> {
		await this.page.goto(url);
		await this.page.locator('#n8n-form, .card').first().waitFor();
	}

	/** Types into the field with this label (text, number, email). */
	async fill(label: string, value: string | number): Promise<void> {
		await this.page.getByLabel(label, { exact: true }).fill(String(value));
	}

	/** Fills several fields, label → value. */
	async fillAll(values: Record<string, string | number>): Promise<void> {
		for (const [label, value] of Object.entries(values)) await this.fill(label, value);
	}

	/** The options of the form's radio or dropdown choice, as the person reads them. */
	async options(): Promise<string[]> {
		const radios = this.page.locator('.multiselect-option label');
		if (await radios.count()) return (await radios.allInnerTexts()).map((text) => text.trim());
		const selectOptions = this.page.locator('select option:not([disabled])');
		return (await selectOptions.allInnerTexts()).map((text) => text.trim());
	}

	/** Picks the option whose text is `label` (a radio button or a dropdown entry). */
	async choose(label: string): Promise<void> {
		const radio = this.page.locator('.multiselect-option').filter({
			has: this.page.locator('label', { hasText: label }),
		});
		if (await radio.count()) {
			await radio.locator('label').click();
			assert(await radio.locator('input').isChecked(), `"${label}" is checked`);
			return;
		}
		await this.page.locator('select').selectOption({ label });
	}

	/**
	 * Clicks the form's button and waits until the next page loaded
	 * or the form said it could not submit. The next page may have the same address (the pages
	 * after the first are all /form-waiting/<execution>), so a load counts, not the URL.
	 */
	async submit(): Promise<void> {
		const button = this.page.locator('#submit-btn');
		const loaded = this.page.waitForEvent('load', { timeout: 90_000 });
		const refused = this.page
			.locator('#submitted-form')
			.waitFor({ state: 'visible', timeout: 90_000 });
		await button.click();
		await Promise.race([loaded, refused]);
		loaded.catch(() => undefined);
		refused.catch(() => undefined);
	}

	/**
	 * Waits for a page whose heading matches `heading` and returns what it shows. Fails at once
	 * when the form shows n8n's own "Problem submitting response" instead.
	 */
	async waitForPage(heading: RegExp, timeoutMs = 60_000): Promise<ShownPage> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const shown = await this.shown().catch(() => undefined);
			if (shown && heading.test(shown.heading)) {
				await this.page.waitForLoadState('load');
				return shown;
			}
			if (shown && N8N_FAILURE.test(shown.heading)) {
				throw new Error(`the form says "${shown.heading}": ${shown.text.slice(0, 300)}`);
			}
			if (Date.now() > deadline) {
				throw new Error(
					`expected a page headed ${heading}; the person sees "${shown?.heading}": ${shown?.text.slice(0, 500)}`,
				);
			}
			await this.page.waitForTimeout(250);
		}
	}

	/** The visible heading and the page's text. */
	async shown(): Promise<ShownPage> {
		const heading = (
			await this.page.locator('h1:visible').first().innerText({ timeout: 2000 })
		).trim();
		const text = (await this.page.locator('body').innerText()).replace(/\s+/g, ' ').trim();
		return { heading, text };
	}

	async screenshot(name: string): Promise<void> {
		await this.shots.take(this.page, name, { fullPage: true });
	}

	/** Starts waiting for a download now; resolves with its name and bytes. */
	expectDownload(timeoutMs = 60_000): Promise<{ name: string; bytes: Buffer }> {
		return this.page
			.waitForEvent('download', { timeout: timeoutMs })
			.then(async (download: Download) => {
				const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-form-download-'));
				const file = path.join(dir, download.suggestedFilename());
				await download.saveAs(file);
				const bytes = fs.readFileSync(file);
				fs.rmSync(dir, { recursive: true, force: true });
				return { name: download.suggestedFilename(), bytes };
			});
	}

	async leave(): Promise<void> {
		await this.context.close();
	}
}
