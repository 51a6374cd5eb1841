// A real browser for the UI test: the Chromium that scripts/install-browser.sh installs from
// Debian, driven by Playwright's library (playwright-core, which never downloads a browser), and
// the screenshots a test takes on its way.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { log } from './process';

/** Where the browser is: ELECTIO_CHROMIUM, else Debian's chromium. */
export function chromiumPath(): string {
	const candidates = [
		process.env.ELECTIO_CHROMIUM,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
	];
	const found = candidates.find((file): file is string => !!file && fs.existsSync(file));
	if (!found) {
		throw new Error(
			'no Chromium found (looked at ELECTIO_CHROMIUM, /usr/bin/chromium): run `bash scripts/install-browser.sh`',
		);
	}
	return found;
}

/** Headless, no sandbox (root in CI), and nothing that reaches out to the network by itself. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
	return await chromium.launch({
		executablePath: chromiumPath(),
		args: CHROMIUM_ARGS,
		headless: true,
		timeout: 60_000,
	});
}

/** A page at a laptop's size, downloads allowed, and console errors collected. */
export async function openPage(
	browser: Browser,
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		deviceScaleFactor: 1,
		acceptDownloads: true,
		locale: 'en-GB',
		timezoneId: 'UTC',
	});
	const page = await context.newPage();
	const consoleErrors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	return { context, page, consoleErrors };
}

/**
 * Screenshots by name into one folder (`login.png`, ...: stable names a README can link), each
 * replacing the last run's; `prune()` removes files of earlier runs that this run did not write.
 */
export class Screenshots {
	private readonly written = new Set<string>();

	constructor(readonly dir: string) {
		fs.mkdirSync(dir, { recursive: true });
	}

	async take(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
		const file = path.join(this.dir, `${name}.png`);
		await page.screenshot({
			path: file,
			fullPage: options.fullPage ?? false,
			animations: 'disabled',
		});
		this.written.add(path.basename(file));
		log(`screenshot ${path.relative(process.cwd(), file)}`);
		return file;
	}

	/** Removes PNGs of earlier runs that this run did not write. */
	prune(): void {
		for (const file of fs.readdirSync(this.dir)) {
			if (file.endsWith('.png') && !this.written.has(file)) fs.rmSync(path.join(this.dir, file));
		}
	}

	get files(): string[] {
		return [...this.written].sort();
	}
}
