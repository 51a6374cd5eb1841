// `npm run test:ui`: the editor as a user meets it, in a real browser. n8n (2.41.1 by default,
// ELECTIO_N8N_VERSION=1.123.x for the 1.x line) is set up the way `npm run n8n` sets it up
// (harness/real-n8n/editor.ts: sandbox, package, credential, examples, local owner), in a new user
// folder on free ports, and headless Chromium (harness/browser.ts) goes through it: log in; find
// Electio in the nodes panel and its actions; open each example and each Electio step's panel;
// read the canvas subtitles; load the dropdowns from the sandbox; run the credential test with the
// right key, a wrong key, an unreachable and a misspelt Base URL; run the quotes flow and download
// a label from the binary tab. A screenshot of each step goes to docs/screenshots/ (the README
// shows them; other n8n versions write to .n8n-runtime/screenshots/n8n-<version>/).
//
// Env: ELECTIO_UI_SKIP_BUILD=1 uses dist/ as built; ELECTIO_UI_ONLY=<text>[,<text>] runs the matching tests
// (and log in); ELECTIO_UI_KEEP=1 keeps the n8n user folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { chromiumPath, launchBrowser, openPage, Screenshots } from '../../harness/browser';
import { sandboxApi } from '../../harness/sandboxApi';
import { EXAMPLES, readExample, REPO_ROOT } from '../../harness/package';
import { elapsed, freePort, log } from '../../harness/process';
import { OWNER, startEditor, type Editor } from '../../harness/real-n8n';
import { startSmtpCapture, type SmtpCapture } from '../../harness/smtp';
import { nameParts, runSuite, TestList, type TestOutcome } from '../../harness/testRunner';
import { resources } from '../../nodes/Electio/actions/resources';
import { isPdf } from '../e2e/checks';
import { assert, assertEqual, consignmentsByCustomerRef, createdCount } from '../e2e/support';
import { formTests } from './forms';

const ELECTIO_TYPE = 'n8n-nodes-electio.electio';
const CREDENTIAL_NAME = 'Electio sandbox (local)';

const suite = new TestList();
const { test } = suite;

let editor: Editor;
let browser: Browser | undefined;
let page: Page;
let shots: Screenshots;
let smtp: SmtpCapture;
/** Every /schemas/<electio>/... answer the editor got: url → status */
const schemaAnswers = new Map<string, number>();

/** The action words of each resource:operation, from the node's one operation registry. */
const ACTIONS = new Map(
	Object.values(resources).flatMap((resource) =>
		Object.entries(resource.operations).map(([value, operation]) => [
			`${resource.value}:${value}`,
			operation.option.action,
		]),
	),
);

/** The Electio steps of an example; `tools` adds the Electio nodes an AI Agent uses as tools. */
function electioSteps(
	example: string,
	{ tools = false } = {},
): Array<{ name: string; action: string; subtitle: string }> {
	return (readExample(example).nodes as any[])
		.filter((node) => node.type === ELECTIO_TYPE || (tools && node.type === `${ELECTIO_TYPE}Tool`))
		.map((node) => ({
			name: node.name as string,
			action: ACTIONS.get(`${node.parameters.resource}:${node.parameters.operation}`)!,
			subtitle: `${node.parameters.operation}: ${node.parameters.resource}`,
		}));
}

const canvasNode = (name: string) =>
	page.locator(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`);

async function openWorkflow(example: string): Promise<void> {
	const { id, nodes } = readExample(example);
	await page.goto(`${editor.url}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	for (const node of nodes as any[]) {
		if (node.type === 'n8n-nodes-base.stickyNote') continue;
		await canvasNode(node.name).waitFor({ timeout: 10_000 });
	}
	// let the canvas fit the view before any screenshot
	await page.waitForTimeout(500);
	await closeChecklist();
}

/**
 * n8n 2.x opens a "Production Checklist" over the canvas of a published workflow (the examples a
 * person opens by URL are published), and it takes the clicks meant for the nodes under it.
 */
async function closeChecklist(): Promise<void> {
	const checklist = page
		.locator('[data-reka-popper-content-wrapper]')
		.filter({ hasText: 'Production Checklist' });
	if (!(await checklist.isVisible().catch(() => false))) return;
	await page.keyboard.press('Escape');
	if (await checklist.isVisible().catch(() => false)) {
		await checklist.getByRole('button').first().click();
	}
	await checklist.waitFor({ state: 'hidden', timeout: 5_000 });
}

async function openPanel(name: string): Promise<void> {
	await closeChecklist();
	await canvasNode(name).dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 15_000 });
	await page.locator('[data-test-id="node-parameters"]').waitFor({ timeout: 15_000 });
	await page.waitForTimeout(700);
}

async function closePanel(): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: 10_000 });
}

function fileName(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------

test('log in as the local owner; the examples are listed', async () => {
	await page.goto(`${editor.url}/signin`);
	// n8n 2.x names the field emailOrLdapLoginId, 1.x email
	await page.locator('input[type="email"]').fill(OWNER.email);
	await page.locator('input[type="password"]').fill(OWNER.password);
	await shots.take(page, 'login');
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL(/\/home\/workflows/, { timeout: 30_000 });
	for (const example of EXAMPLES) {
		await page
			.locator('[data-test-id="workflow-card-name"]')
			.getByText(readExample(example).name, { exact: true })
			.waitFor({ timeout: 15_000 });
	}
	await shots.take(page, 'workflows');
});

test('nodes panel: search finds Electio, which lists every action of the node', async () => {
	await page.goto(`${editor.url}/workflow/new`);
	await page.locator('[data-test-id="canvas-wrapper"]').waitFor({ timeout: 30_000 });
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page
		.locator(
			'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
		)
		.first()
		.fill('Electio');
	const item = page
		.locator('[data-test-id="node-creator-item-name"]')
		.filter({ hasText: /^Electio$/ });
	await item.first().waitFor({ timeout: 15_000 });
	await shots.take(page, 'nodes-panel-search');
	await item.first().click();
	const panel = page.locator('[data-test-id="node-creator"]');
	const expected = [...ACTIONS.values()];
	const first = panel.getByText(expected[0], { exact: true });
	try {
		await first.waitFor({ timeout: 5_000 });
	} catch {
		// with a trigger node in the package too, n8n 1.x shows the actions folded: unfold them
		await panel.getByText(/^Actions \(\d+\)$/).click();
		await first.waitFor({ timeout: 10_000 });
	}
	await shots.take(page, 'nodes-panel-actions');
	const missing: string[] = [];
	for (const action of expected) {
		if ((await panel.getByText(action, { exact: true }).count()) !== 1) missing.push(action);
	}
	const listed = await page.locator('[data-test-id="node-creator-action-item"]').allInnerTexts();
	assert(
		missing.length === 0,
		`actions missing from the panel: ${missing.join('; ')} (listed: ${listed.join('; ')})`,
	);
	await page.keyboard.press('Escape');
});

test("each example opens, and each Electio step's panel opens on its operation", async () => {
	for (const example of EXAMPLES) {
		await openWorkflow(example);
		const base = fileName(example.replace(/\.json$/, ''));
		await shots.take(page, `${base}-canvas`);
		for (const step of electioSteps(example, { tools: true })) {
			await openPanel(step.name);
			const ndv = page.locator('[data-test-id="ndv"]');
			const title = await ndv.locator('[data-test-id="node-title-container"]').innerText();
			assert(title.includes(step.name), `panel title "${title}" names ${step.name}`);
			const credential = await ndv
				.locator('[data-test-id="node-credentials-select"]')
				.innerText()
				.catch(() => '');
			const credentialValue = await ndv
				.locator('[data-test-id="node-credentials-select"] input')
				.inputValue()
				.catch(() => '');
			assert(
				`${credential} ${credentialValue}`.includes(CREDENTIAL_NAME),
				`${step.name}: the panel shows the credential "${CREDENTIAL_NAME}"`,
			);
			const issues = await ndv.locator('[data-test-id="parameter-issues"]').count();
			assertEqual(issues, 0, `${step.name}: parameters with issues`);
			await shots.take(page, `${base}-${fileName(step.name)}`);
			await closePanel();
		}
	}
});

test('the output schemas load: a step shows the fields of the step before it, before any run', async () => {
	await openWorkflow('quotes-flow.json');
	await openPanel('Allocate cheapest');
	const input = page.locator('[data-test-id="ndv-input-panel"]');
	await input.getByText('quoteReference', { exact: true }).first().waitFor({ timeout: 15_000 });
	await input.getByText('cheapest', { exact: true }).first().waitFor({ timeout: 5_000 });
	await shots.take(page, 'allocate-panel-schema-preview');
	await closePanel();
	const electio = [...schemaAnswers.entries()];
	assert(electio.length > 0, 'the editor asked for Electio output schemas');
	const failed = electio.filter(([, status]) => status !== 200);
	assert(
		failed.length === 0,
		`schema requests that failed: ${failed.map(([u, s]) => `${s} ${u}`).join(', ')}`,
	);
});

test('the canvas subtitles name the operation and the resource', async () => {
	for (const example of EXAMPLES) {
		await openWorkflow(example);
		for (const step of electioSteps(example)) {
			// the subtitle line under the node's name (the canvas shortens long ones with an ellipsis)
			const subtitle = (
				await canvasNode(step.name).locator('[class*="subtitle"]').first().innerText()
			).trim();
			const shown = subtitle.replace(/(\.\.\.|…)$/, '').trim();
			assert(
				shown.length >= 8 && step.subtitle.startsWith(shown),
				`${example} / ${step.name}: subtitle "${subtitle}" is not "${step.subtitle}"`,
			);
		}
	}
});

test('the shipping-location and carrier dropdowns load from the sandbox', async () => {
	const answer = async (route: string) => {
		const body = await sandboxApi(editor.sandbox as any, 'GET', route);
		return (Array.isArray(body) ? body : body.Results) as any[];
	};
	const expected = async (route: string) =>
		(await answer(route))
			.map((entry) => {
				const value = String(entry.Reference ?? entry.ShippingLocationReference ?? entry.Code);
				const name = String(entry.Name ?? entry.Description ?? value);
				return name === value ? name : `${name} (${value})`;
			})
			.sort();

	await openWorkflow('daily-manifest.json');
	await openPanel("Manifest today's labelled consignments");
	for (const [parameter, route, shot] of [
		['shippingLocationReferences', '/shippinglocations', 'dropdown-shipping-locations'],
		['carriers', '/carriers', 'dropdown-carriers'],
	] as const) {
		const before = editor.sandbox.requests().filter((r: any) => r.path === route).length;
		const select = page.locator(`[data-test-id="parameter-input-${parameter}"]`);
		await select.click();
		// the options of this select only: its combobox names the list it controls
		const list = await select.locator('[role="combobox"]').first().getAttribute('aria-controls');
		assert(list, `${parameter} is a dropdown`);
		const options = page.locator(`[id="${list}"] .el-select-dropdown__item`);
		await options.first().waitFor({ timeout: 15_000 });
		const shown = [...new Set((await options.allInnerTexts()).map((t) => t.trim()))].sort();
		await shots.take(page, shot);
		// close it by clicking outside, where nothing reacts to a click
		await page.locator('[data-test-id="ndv-input-panel"]').click({ position: { x: 20, y: 200 } });
		await options.first().waitFor({ state: 'hidden', timeout: 5_000 });
		assertEqual(
			JSON.stringify(shown),
			JSON.stringify(await expected(route)),
			`${parameter} options`,
		);
		const after = editor.sandbox.requests().filter((r: any) => r.path === route).length;
		assert(after > before, `the editor loaded ${parameter} from the sandbox's ${route}`);
	}
	await closePanel();
});

test('credential test: the right key passes; a wrong key, an unreachable and a misspelt Base URL each get a sentence', async () => {
	await page.goto(`${editor.url}/home/credentials`);
	await page.getByText(CREDENTIAL_NAME, { exact: true }).first().click();
	const dialog = page.locator('[data-test-id="editCredential-modal"]');
	await dialog.locator('[data-test-id="credential-edit-dialog"]').waitFor({ timeout: 15_000 });
	const keyInput = dialog.locator('[data-test-id="apiKey"] input');
	const baseUrlInput = dialog.locator('[data-test-id="baseUrl"] input');
	const deadPort = await freePort();

	/**
	 * Saves the credential (n8n tests it on save) and returns the test's message once the dialog
	 * shows it: "Connection tested successfully", or the node's own sentence behind "More details".
	 */
	const saveAndRead = async (key: string, baseUrl: string): Promise<string> => {
		// the answer to this save's test (opening the dialog tests the saved credential too)
		const tested = page.waitForResponse(
			(response) =>
				response.url().includes('/rest/credentials/test') &&
				(response.request().postData() ?? '').includes(key) &&
				(response.request().postData() ?? '').includes(baseUrl),
			{ timeout: 30_000 },
		);
		await dialog.locator('[data-test-id="credential-save-button"]').click();
		const answer = (await (await tested).json()) as { data?: { status: string; message: string } };
		const result = answer.data ?? (answer as unknown as { status: string; message: string });
		if (result.status === 'OK') {
			const ok = dialog.getByText('Connection tested successfully').filter({ visible: true });
			await ok.first().waitFor({ timeout: 15_000 });
			return await ok.first().innerText();
		}
		await dialog
			.getByText(/Couldn.t connect/)
			.filter({ visible: true })
			.first()
			.waitFor({ timeout: 15_000 });
		const details = dialog.getByText('More details').filter({ visible: true });
		// expanded once, the details stay open for the next test
		if (await details.count()) await details.first().click();
		const shown = dialog.getByText(result.message, { exact: false }).filter({ visible: true });
		await shown.first().waitFor({ timeout: 10_000 });
		return result.message;
	};

	const cases: Array<{ shot: string; key: string; baseUrl: string; expect: RegExp }> = [
		{
			shot: 'credential-test-wrong-key',
			key: 'not-the-right-key',
			baseUrl: editor.sandbox.url,
			expect:
				/Electio rejected the API key \(401\)\. Check that the key is right and belongs to the chosen environment: sandbox and production keys differ\./,
		},
		{
			shot: 'credential-test-unreachable',
			key: editor.sandbox.apiKey,
			baseUrl: `http://127.0.0.1:${deadPort}`,
			expect: new RegExp(
				`Nothing is listening at http://127\\.0\\.0\\.1:${deadPort} \\(connection refused\\)\\. Check the Base URL's host and port`,
			),
		},
		{
			shot: 'credential-test-misspelt-host',
			key: editor.sandbox.apiKey,
			baseUrl: 'http://electio-sandbx.invalid:4010',
			expect:
				/The host "electio-sandbx\.invalid:4010" could not be found\. Check the Base URL for a typo in the host name\./,
		},
		{
			shot: 'credential-test-ok',
			key: editor.sandbox.apiKey,
			baseUrl: editor.sandbox.url,
			expect: /Connection tested successfully/,
		},
	];
	for (const c of cases) {
		await keyInput.fill(c.key);
		await baseUrlInput.fill(c.baseUrl);
		const text = await saveAndRead(c.key, c.baseUrl);
		await shots.take(page, c.shot);
		assert(c.expect.test(text), `${c.shot}: expected ${c.expect}, the dialog says:\n${text}`);
		assert(
			!text.includes('ECONNREFUSED') && !text.includes('ENOTFOUND'),
			`${c.shot}: a raw error code is shown:\n${text}`,
		);
	}
	await page.keyboard.press('Escape');
});

test('the quotes flow runs from the editor, and a label downloads from the binary tab as a PDF', async () => {
	editor.sandbox.reset();
	await openWorkflow('quotes-flow.json');
	const steps = electioSteps('quotes-flow.json');
	const started = Date.now();
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	for (const step of steps) {
		const node = canvasNode(step.name);
		await node
			.locator(
				'[data-test-id="canvas-node-status-success"], [data-test-id="canvas-node-status-error"]',
			)
			.first()
			.waitFor({ timeout: 180_000 });
		assertEqual(
			await node.locator('[data-test-id="canvas-node-status-error"]').count(),
			0,
			`${step.name} failed in the editor run`,
		);
	}
	log(`quotes flow ran in the editor in ${elapsed(started)}`);
	await page.waitForTimeout(500);
	await shots.take(page, 'quotes-flow-run');

	// The sample orders are literals in the example's Code node: each is created once, labelled, Manifested.
	const samples = (readExample('quotes-flow.json').nodes as any[]).find(
		(n) => n.name === 'Sample consignments',
	);
	const orders = [
		...String(samples?.parameters?.jsCode ?? '').matchAll(
			/ConsignmentReferenceProvidedByCustomer: '([^']+)'/g,
		),
	].map((match) => match[1]);
	assert(orders.length >= 4, `the quotes flow's sample orders (${orders.join(', ')})`);
	const records = consignmentsByCustomerRef(editor.sandbox as any);
	assertEqual(records.size, orders.length, 'consignments created by the editor run');
	for (const order of orders) {
		const record = records.get(order);
		assert(record, `a consignment for ${order}`);
		assertEqual(createdCount(editor.sandbox as any, order), 1, `POST /consignments for ${order}`);
		assertEqual(record.LabelsPrinted, true, `LabelsPrinted of ${order}`);
		assertEqual(record.ConsignmentState, 'Manifested', `state of ${order}`);
	}

	await openPanel('Allocate cheapest');
	await shots.take(page, 'allocate-panel');
	await closePanel();

	await openPanel('Get label (PDF)');
	const output = page.locator('[data-test-id="output-panel"]');
	const binaryTab = output.locator('[data-test-id="radio-button-binary"]');
	if (await binaryTab.count()) await binaryTab.click();
	const download = output.locator('[data-test-id="ndv-download-binary-data"]').first();
	await download.waitFor({ timeout: 15_000 });
	await shots.take(page, 'label-binary-tab');
	const [file] = await Promise.all([
		page.waitForEvent('download', { timeout: 30_000 }),
		download.click(),
	]);
	const saved = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'electio-ui-download-')),
		file.suggestedFilename(),
	);
	await file.saveAs(saved);
	const bytes = fs.readFileSync(saved);
	fs.rmSync(path.dirname(saved), { recursive: true, force: true });
	assert(
		/^EC-[A-Z0-9-]+\.pdf$/.test(file.suggestedFilename()),
		`downloaded file name ${file.suggestedFilename()}`,
	);
	const pages = await isPdf(bytes);
	assert(pages >= 1, 'the downloaded label has a page');
	log(`downloaded ${file.suggestedFilename()}: ${bytes.length} bytes, ${pages} page(s)`);
	await closePanel();
});

// the examples where a person chooses the quote, through their forms and the approval email
formTests(test, () => ({ editor, browser: browser!, shots, smtp }));

// ---------------------------------------------------------------------------------------------

function screenshotDir(version: string): string {
	if (process.env.ELECTIO_UI_SCREENSHOTS) return path.resolve(process.env.ELECTIO_UI_SCREENSHOTS);
	return version === '2.41.1'
		? path.join(REPO_ROOT, 'docs', 'screenshots')
		: path.join(REPO_ROOT, '.n8n-runtime', 'screenshots', `n8n-${version}`);
}

async function main(): Promise<TestOutcome> {
	const started = Date.now();
	chromiumPath(); // fail before the n8n setup when there is no browser
	const only = nameParts('ELECTIO_UI_ONLY');

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'electio-ui-n8n-'));
	// the mail server the approval-by-email example's SMTP credential points at
	smtp = await startSmtpCapture();
	editor = await startEditor({
		n8nPort: await freePort(),
		sandboxPort: 0,
		dir,
		reset: true,
		build: process.env.ELECTIO_UI_SKIP_BUILD !== '1',
		smtp,
	});
	log(`n8n ${editor.runtime.version} editor on ${editor.url}, sandbox on ${editor.sandbox.url}`);
	// the first test logs in: every other needs it. A test that needs a newer n8n says so and is left out.
	const { selected, skipped } = suite.select({
		only,
		keep: (index) => index === 0,
		n8nVersion: editor.runtime.version,
	});
	for (const { test: t, why } of skipped) console.log(`  skip  ${t.name} (${why})`);
	shots = new Screenshots(screenshotDir(editor.runtime.version));
	let passed = 0;
	let failed = 0;
	try {
		browser = await launchBrowser();
		({ page } = await openPage(browser));
		page.setDefaultTimeout(20_000);
		page.on('response', (response) => {
			if (response.url().includes(`/schemas/${ELECTIO_TYPE}/`)) {
				schemaAnswers.set(response.url(), response.status());
			}
		});
		({ passed, failed } = await TestList.run(selected, async (t) => {
			const failure = path.join(
				REPO_ROOT,
				'.n8n-runtime',
				'ui-failures',
				`${fileName(t.name).slice(0, 60)}.png`,
			);
			fs.mkdirSync(path.dirname(failure), { recursive: true });
			await page.screenshot({ path: failure }).catch(() => undefined);
			// a dialog or panel left open would fail the next test too
			await page.keyboard.press('Escape').catch(() => undefined);
			return `screen: ${path.relative(process.cwd(), failure)}`;
		}));
		if (!only.length && failed === 0) shots.prune();
	} finally {
		await browser?.close();
		await editor.stop();
		await smtp.close();
		if (process.env.ELECTIO_UI_KEEP === '1') log(`kept the n8n user folder at ${dir}`);
		else fs.rmSync(dir, { recursive: true, force: true });
	}
	console.log(
		`\nui (real n8n ${editor.runtime.version}, Chromium): ${shots.files.length} screenshots in ${path.relative(process.cwd(), shots.dir)}`,
	);
	console.log(`ui: ${passed} passed, ${failed} failed (${elapsed(started)})`);
	return { passed, failed };
}

runSuite('ui', main);
