// A person chooses the quote (#18), in real n8n and Chromium: the three examples that put a person
// in the flow, published as `npm run n8n` publishes them, used the way a shop assistant, an
// approver and a contact-centre agent would. Each test asserts what the person sees (the page and
// its sentence) and what the sandbox did (one consignment, allocated once, with the quote chosen).
// Every page goes to docs/screenshots/ (the README's "A person chooses the quote" shows them).
// Test names start with "forms:" (ELECTIO_UI_ONLY=forms runs them alone).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';

import type { Screenshots } from '../../harness/browser';
import { createConsignment, sandboxApi } from '../../harness/sandboxApi';
import { consignmentBody } from '../../harness/fixtures/consignments';
import { readExample } from '../../harness/package';
import { sleep } from '../../harness/process';
import { erpOrder } from '../../harness/fixtures/webhookFlows';
import { postJson } from '../../harness/webhookSends';
import type { Editor } from '../../harness/real-n8n';
import type { SmtpCapture } from '../../harness/smtp';
import type { RegisterTest, TestNeeds } from '../../harness/testRunner';
import { QUOTE_TTL_MS } from '../../sandbox';
import { isPdf } from '../e2e/checks';
import { assert, assertEqual, type Sandbox } from '../e2e/support';
import { Person } from './formPages';

export interface FormsContext {
	editor: Editor;
	browser: Browser;
	shots: Screenshots;
	smtp: SmtpCapture;
}

/**
 * n8n 1.123 reads form fields defined in JSON without `fieldName` ("Key 'fieldName' in field 0 is
 * not valid"), so neither a Form page nor a send-and-wait form accepts Get Quotes' formFields; its
 * Form page keys answers by label, and its error output does not take the node's error items.
 */
const NEEDS_2X: TestNeeds = {
	n8nMajor: 2,
	why: "n8n 1.123 refuses the fieldName of JSON-defined form fields (Get Quotes' formFields) and routes no error items to the error output (README: n8n versions)",
};

const IN_STORE = {
	path: formPath('in-store-booking.json', 'Parcel and address'),
	order: 'Book a delivery',
	choose: /^Choose a delivery option$/,
	chooseAgain: /^Choose again$/,
	booked: /^Booked: the label is downloading$/,
	notBooked: /^Not booked$/,
	choiceNotBooked: /^Your choice was not booked$/,
	noCarrier: /^No carrier can take this parcel$/,
};

const APPROVAL = {
	path: 'electio-quote-approval',
	approver: 'shipping-approvals@example.com',
	form: /^Order .+: choose the delivery$/,
	recorded: /^Got it, thanks$/,
};

const FIX = {
	path: formPath('fix-failed-allocation.json', 'Order number'),
	correct: /^Order .+ was not booked$/,
	choose: /^Choose a delivery option$/,
	booked: /^Booked: the label is downloading$/,
};

/** What a shop assistant types for a parcel to London. */
function counterOrder(orderNumber: string, changes: Record<string, string | number> = {}) {
	return {
		'Order number': orderNumber,
		'Customer name': 'Ada Lovelace',
		'Address line 1': '12 St James Square',
		Town: 'London',
		Postcode: 'SW1Y 4JH',
		'Country code': 'GB',
		'Weight (kg)': 2,
		'Length (cm)': 30,
		'Width (cm)': 20,
		'Height (cm)': 10,
		Contents: 'Books',
		...changes,
	};
}

/** The path of an example's Form Trigger (its `options.path`), as in /form/<path>. */
function formPath(example: string, trigger: string): string {
	const node = (readExample(example).nodes as any[]).find((n) => n.name === trigger);
	const path = node?.parameters?.options?.path;
	if (!path) throw new Error(`${example}: ${trigger} has no form path`);
	return String(path);
}

// ---------------------------------------------------------------------------------------------
// what the sandbox did

/** The one consignment of an order (fails when there are none or several). */
function consignmentOf(sandbox: Sandbox, orderNumber: string) {
	const records = sandbox
		.consignments()
		.filter((c) => c.ConsignmentReferenceProvidedByCustomer === orderNumber);
	assertEqual(records.length, 1, `consignments for order ${orderNumber}`);
	return records[0] as any;
}

/** The allocate calls Electio acted on for a consignment. */
function allocations(sandbox: Sandbox, reference: string) {
	return sandbox
		.requests()
		.filter(
			(r) =>
				r.method === 'PUT' &&
				r.handled &&
				r.path.startsWith(`/allocation/${encodeURIComponent(reference)}/allocate`),
		);
}

/** The choices the form page carries back in its hidden field (label → quote reference). */
async function choicesOnPage(
	person: Person,
): Promise<Array<{ label: string; quoteReference: string }>> {
	for (const value of await person.page
		.locator('input[type="hidden"]')
		.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))) {
		try {
			const list = JSON.parse(value);
			if (Array.isArray(list) && list.every((c) => c.label && c.quoteReference)) return list;
		} catch {
			/* another hidden field */
		}
	}
	throw new Error('the page carries no choices in a hidden field');
}

/** Asserts the order's consignment was allocated once, with this quote, and labelled. */
function assertBookedWith(sandbox: Sandbox, orderNumber: string, quoteReference: string) {
	const record = consignmentOf(sandbox, orderNumber);
	assertEqual(record.ConsignmentState, 'Allocated', `state of ${orderNumber}`);
	assertEqual(allocations(sandbox, record.Reference).length, 1, 'allocations acted on');
	assertEqual(record.QuoteReference, quoteReference, 'the quote allocated');
	assertEqual(record.LabelsPrinted, true, `LabelsPrinted of ${orderNumber}`);
	return record;
}

/** The person's sentence is on the page, word for word. */
function assertSays(shown: { text: string }, sentence: string | RegExp, where: string) {
	const found =
		typeof sentence === 'string' ? shown.text.includes(sentence) : sentence.test(shown.text);
	assert(found, `${where} should say ${sentence}; it says: ${shown.text.slice(0, 600)}`);
	assert(!/Problem submitting response/.test(shown.text), `${where}: n8n's generic failure page`);
}

/** Text with its no-break spaces (Electio's service names have them) as plain ones. */
const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Advances the sandbox clock past the quotes' expiry until `wanted` holds for the chosen service's fresh price. */
async function expireQuotes(
	sandbox: Sandbox,
	reference: string,
	service: string,
	wanted: (before: number, now: number) => boolean,
	before: number,
): Promise<void> {
	sandbox.advanceClock(QUOTE_TTL_MS + 60_000);
	for (let step = 0; step < 40; step++) {
		const fresh = await sandboxApi(sandbox, 'GET', `/quotes/consignment/${reference}`);
		const offer = (fresh.Quotes as any[]).find(
			(quote) => plain(quote.MpdCarrierService) === plain(service),
		);
		if (offer && wanted(before, offer.Price.Gross)) return;
		// a collection day with another price (Friday, a new month) is a few hours away at most
		sandbox.advanceClock(6 * 3600_000);
	}
	throw new Error(`the sandbox never priced ${service} as wanted after the quotes expired`);
}

/** A captured mail as a mail program shows it: From, To and Subject above its HTML. */
function mailAsShown(mail: { from: string; to: string[]; subject: string; html: string }): string {
	const escape = (text: string) =>
		text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const header = [
		['From', mail.from],
		['To', mail.to.join(', ')],
		['Subject', mail.subject],
	]
		.map(([name, value]) => `<div><b>${name}:</b> ${escape(value)}</div>`)
		.join('');
	return `<div style="font: 14px sans-serif; padding: 12px 16px; border-bottom: 1px solid #ddd">${header}</div>${mail.html}`;
}

/** The ERP's side of the approval example: where it wants the result posted, and what came. */
async function startCallbackReceiver(): Promise<{
	url: string;
	received: any[];
	waitForOne(timeoutMs?: number): Promise<any>;
	close(): Promise<void>;
}> {
	const received: any[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			received.push(JSON.parse(body || 'null'));
			response.writeHead(204).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/erp/shipping-results`,
		received,
		async waitForOne(timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			while (!received.length) {
				if (Date.now() > deadline) throw new Error('the ERP was not called back');
				await sleep(250);
			}
			return received[0];
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

// ---------------------------------------------------------------------------------------------

export function formTests(test: RegisterTest, context: () => FormsContext): void {
	const at = (path: string) => `${context().editor.url}/form/${path}`;

	/** Fills the counter form and waits for the delivery options; returns the person there. */
	const orderAtTheCounter = async (
		orderNumber: string,
		changes: Record<string, string | number> = {},
		shot?: string,
	): Promise<Person> => {
		const { browser, shots } = context();
		const person = await Person.arrive(browser, shots);
		await person.open(at(IN_STORE.path));
		await person.fillAll(counterOrder(orderNumber, changes));
		if (shot) await person.screenshot(shot);
		await person.submit();
		return person;
	};

	/** The counter form filled for an order, `run` on the page that follows, the window closed after. */
	const atTheCounter = async (
		order: { number: string; changes?: Record<string, string | number>; shot?: string },
		run: (person: Person) => Promise<void>,
	): Promise<void> => {
		const person = await orderAtTheCounter(order.number, order.changes, order.shot);
		try {
			await run(person);
		} finally {
			await person.leave();
		}
	};

	test(
		'forms: in-store booking, happy path: the customer chooses the second option, the label PDF downloads, the sandbox allocated exactly that quote once',
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter({ number: 'SHOP-1001', shot: 'in-store-1-order' }, async (person) => {
				const shown = await person.waitForPage(IN_STORE.choose);
				const options = await person.options();
				assert(options.length >= 3, `delivery options shown: ${options.join(' | ')}`);
				assert(
					options.every((option) =>
						/^[^·]+ · [^·]+ · £\d+\.\d\d · by \w{3} \d{1,2} \w{3}$/.test(option),
					),
					`each option reads carrier · service · price · by day: ${options.join(' | ')}`,
				);
				assert(!/ROYAL_MAIL|PARCELFORCE/.test(shown.text), 'carriers by name, not code');
				const choices = await choicesOnPage(person);
				const second = choices.find((choice) => choice.label === options[1])!;
				assert(second, `the second option "${options[1]}" is one of the hidden choices`);
				await person.choose(options[1]);
				await person.screenshot('in-store-2-choose');
				const download = person.expectDownload();
				await person.submit();
				const booked = await person.waitForPage(IN_STORE.booked);
				const file = await download;
				await person.screenshot('in-store-3-label');

				assert(/^EC-[A-Z0-9-]+\.pdf$/.test(file.name), `downloaded file name ${file.name}`);
				assert((await isPdf(file.bytes)) >= 1, 'the download is a PDF with a page');
				const record = assertBookedWith(editor.sandbox, 'SHOP-1001', second.quoteReference);
				assertSays(booked, record.CarrierName, 'the label page');
				assertSays(booked, `Tracking number ${record.TrackingReferences[0]}`, 'the label page');
			});
		},
		NEEDS_2X,
	);

	test(
		"forms: in-store booking, country code 'UK': the page says to use 'GB'; nothing is created",
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter(
				{ number: 'SHOP-1004', changes: { 'Country code': 'UK' } },
				async (person) => {
					const shown = await person.waitForPage(IN_STORE.notBooked);
					await person.screenshot('in-store-5-bad-country-code');
					assertSays(shown, "Country code 'UK' is not valid: use 'GB'.", 'the page');
					assertSays(shown, 'Nothing was booked', 'the page');
					assertEqual(
						editor.sandbox
							.consignments()
							.filter((c) => c.ConsignmentReferenceProvidedByCustomer === 'SHOP-1004').length,
						0,
						'consignments created',
					);
				},
			);
		},
		NEEDS_2X,
	);

	test(
		'forms: in-store booking, a parcel no carrier takes (250 kg to the US): the page says why instead of an empty choice',
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter(
				{
					number: 'SHOP-1005',
					changes: {
						'Address line 1': '350 Fifth Avenue',
						Town: 'New York',
						Postcode: '10118',
						'Country code': 'US',
						'Weight (kg)': 250,
					},
				},
				async (person) => {
					const shown = await person.waitForPage(IN_STORE.noCarrier);
					await person.screenshot('in-store-6-no-carrier');
					assertSays(shown, 'No carrier can take 250 kg to the United States.', 'the page');
					const record = consignmentOf(editor.sandbox, 'SHOP-1005');
					assertEqual(allocations(editor.sandbox, record.Reference).length, 0, 'allocations');
				},
			);
		},
		NEEDS_2X,
	);

	test(
		'forms: in-store booking, the order was already booked with another carrier: the page says so and the booking stays as it was',
		async () => {
			const { editor } = context();
			const sandbox = editor.sandbox;
			sandbox.reset();
			// booked earlier (another till, yesterday) with the cheapest quote
			const reference = await createConsignment(sandbox, consignmentBody('SHOP-1006'));
			const quotes = await sandboxApi(sandbox, 'GET', `/quotes/consignment/${reference}`);
			const earlier = (quotes.Quotes as any[])[0];
			await sandboxApi(
				sandbox,
				'PUT',
				`/allocation/${reference}/allocatewithquote/${earlier.QuoteReference}`,
			);
			const before = sandbox.getConsignment(reference) as any;

			await atTheCounter({ number: 'SHOP-1006' }, async (person) => {
				await person.waitForPage(IN_STORE.choose);
				const choices = (await choicesOnPage(person)) as any[];
				const other = choices.find(
					(choice) =>
						choice.serviceReference !== earlier.MpdCarrierServiceReference &&
						choice.carrier !== before.CarrierName,
				);
				assert(other, 'an option with another carrier');
				await person.choose(other.label);
				await person.submit();
				const shown = await person.waitForPage(IN_STORE.choiceNotBooked);
				await person.screenshot('in-store-7-already-booked');
				assertSays(
					shown,
					new RegExp(
						`Consignment ${reference} is already booked with ${before.CarrierName}.*so your choice \\(.*${other.carrier}.*\\) was not applied`,
					),
					'the page',
				);
				const after = sandbox.getConsignment(reference) as any;
				assertEqual(after.QuoteReference, before.QuoteReference, 'the booking');
				assertEqual(
					JSON.stringify(after.TrackingReferences),
					JSON.stringify(before.TrackingReferences),
					'the tracking numbers',
				);
				assertEqual(
					consignmentOf(sandbox, 'SHOP-1006').Reference,
					reference,
					'the same consignment',
				);
			});
		},
		NEEDS_2X,
	);

	test(
		'forms: in-store booking, Electio is down: the page says to try again in a minute; nothing is booked',
		async () => {
			const { editor } = context();
			const sandbox = editor.sandbox;
			sandbox.reset();
			sandbox.setFaults({ rate503: 1 });
			let person: Person | undefined;
			try {
				person = await orderAtTheCounter('SHOP-1008');
				const shown = await person.waitForPage(IN_STORE.notBooked, 120_000);
				await person.screenshot('in-store-8-electio-down');
				assertSays(shown, 'Electio is unavailable right now: try again in a minute.', 'the page');
			} finally {
				sandbox.setFaults(null);
				await person?.leave();
			}
			assertEqual(
				sandbox
					.consignments()
					.filter((c) => c.ConsignmentReferenceProvidedByCustomer === 'SHOP-1008').length,
				0,
				'consignments created',
			);
		},
		NEEDS_2X,
	);

	test(
		'forms: in-store booking, "Book and print the label" submitted twice (a double click that gets through): one allocation, one label, no error page',
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter({ number: 'SHOP-1009' }, async (person) => {
				await person.waitForPage(IN_STORE.choose);
				const [first] = await choicesOnPage(person);
				await person.choose(first.label);
				const download = person.expectDownload();
				// n8n's form disables its button on the first click, so a double click sends once
				// unless the second comes before its script runs: submit twice, as such a click does
				let posts = 0;
				person.page.on('request', (request) => {
					if (request.method() === 'POST' && request.url().includes('/form-waiting/')) posts++;
				});
				await person.page.evaluate(() => {
					const form = document.querySelector('form#n8n-form') as HTMLFormElement;
					form.requestSubmit();
					form.requestSubmit();
				});
				await person.waitForPage(IN_STORE.booked);
				assert((await isPdf((await download).bytes)) >= 1, 'the label is a PDF');
				assertBookedWith(editor.sandbox, 'SHOP-1009', first.quoteReference);
				const reference = consignmentOf(editor.sandbox, 'SHOP-1009').Reference;
				const labels = editor.sandbox
					.requests()
					.filter(
						(r) => r.handled && r.path.startsWith(`/labels/${encodeURIComponent(reference)}`),
					);
				assertEqual(labels.length, 1, 'labels fetched');
				assert(posts >= 2, `both submissions reached n8n (${posts} POSTs)`);
			});
		},
		NEEDS_2X,
	);

	test('forms: approval by email, an order within the policy: the ERP gets 200 with the tracking number at once, no mail is sent', async () => {
		const { editor, smtp } = context();
		editor.sandbox.reset();
		const mailsBefore = smtp.mails.length;
		const order = erpOrder('SO-APPROVE-1');
		const answer = await postJson(`${editor.url}/webhook/${APPROVAL.path}`, order);
		assertEqual(answer.status, 200, `the ERP's answer (${answer.text.slice(0, 300)})`);
		const body = JSON.parse(answer.text);
		assertEqual(body.status, 'shipped', 'status');
		assertEqual(body.approvedBy, 'policy', 'approved by');
		const record = consignmentOf(editor.sandbox, 'SO-APPROVE-1');
		assertEqual(body.trackingNumbers[0], record.TrackingReferences[0], 'tracking number');
		assert(
			record.Allocation.Price.Gross <= 10,
			`booked within the policy (${record.Allocation.Price.Gross})`,
		);
		await sleep(1000);
		assertEqual(smtp.mails.length, mailsBefore, 'mails sent');
	});

	test(
		'forms: approval by email, an order over the policy: 202 pending-approval, the approver opens the link from the mail and chooses the second option, it is allocated and the ERP is called back',
		async () => {
			const { editor, smtp, browser, shots } = context();
			editor.sandbox.reset();
			const erp = await startCallbackReceiver();
			const person = await Person.arrive(browser, shots);
			try {
				const order = erpOrder('SO-APPROVE-2');
				order.parcels[0].weightKg = 20;
				order.callbackUrl = erp.url;
				const answer = await postJson(`${editor.url}/webhook/${APPROVAL.path}`, order);
				assertEqual(answer.status, 202, `the ERP's answer (${answer.text.slice(0, 300)})`);
				const pending = JSON.parse(answer.text);
				assertEqual(pending.status, 'pending-approval', 'status');
				assert(pending.cheapest > 10, `the cheapest (${pending.cheapest}) is over the policy`);
				const record = consignmentOf(editor.sandbox, 'SO-APPROVE-2');
				assertEqual(pending.consignmentReference, record.Reference, 'consignment');
				assertEqual(record.ConsignmentState, 'Unallocated', 'not booked before the approval');

				const mail = await smtp.waitForMail(
					(m) => m.to.includes(APPROVAL.approver) && m.subject.includes('SO-APPROVE-2'),
				);
				assert(/over the £10\.00 policy/.test(mail.subject), `subject: ${mail.subject}`);
				await person.page.setContent(mailAsShown(mail));
				await person.screenshot('approval-1-email');
				const link = mail.links.find((href) => href.includes('/webhook-waiting/'));
				assert(link, `a link to the form in the mail (${mail.links.join(', ')})`);

				await person.open(link);
				const form = await person.waitForPage(APPROVAL.form);
				assertSays(form, 'is within the £10.00 policy', 'the approval form');
				const options = await person.options();
				assertEqual(
					JSON.stringify(options),
					JSON.stringify(pending.choices),
					'the options are the choices the ERP was told about',
				);
				const second = (await choicesOnPage(person)).find((c) => c.label === options[1])!;
				await person.choose(options[1]);
				await person.screenshot('approval-2-choose');
				await person.submit();
				await person.waitForPage(APPROVAL.recorded);
				await person.screenshot('approval-3-recorded');

				const result = await erp.waitForOne();
				assertEqual(result.status, 'shipped', `the ERP's callback (${JSON.stringify(result)})`);
				assertEqual(result.approvedBy, 'person', 'approved by');
				const booked = consignmentOf(editor.sandbox, 'SO-APPROVE-2');
				assertEqual(booked.QuoteReference, second.quoteReference, 'the quote allocated');
				assertEqual(allocations(editor.sandbox, booked.Reference).length, 1, 'allocations');
				assertEqual(result.trackingNumbers[0], booked.TrackingReferences[0], 'tracking number');
			} finally {
				await person.leave();
				await erp.close();
			}
		},
		NEEDS_2X,
	);

	test(
		'forms: fix a failed allocation: the agent finds the order, reads why it failed, corrects the postcode, the customer chooses, the label downloads',
		async () => {
			const { editor, browser, shots } = context();
			const sandbox = editor.sandbox;
			sandbox.reset();
			// the ERP sent the order with a mistyped postcode; the carrier refused it
			const body = consignmentBody('ORDER-5150');
			(body.Addresses as any[])[1].Postcode = 'M1 5WGG';
			const reference = await createConsignment(sandbox, body);
			await sandboxApi(sandbox, 'PUT', `/allocation/${reference}/allocatewithcheapestquote`).catch(
				() => undefined,
			);
			assertEqual(
				sandbox.getConsignment(reference)!.ConsignmentState,
				'AllocationFailed',
				'seeded',
			);

			const person = await Person.arrive(browser, shots);
			try {
				await person.open(`${editor.url}/form/${FIX.path}`);
				await person.fill('Order number', 'ORDER-5150');
				await person.screenshot('fix-1-order');
				await person.submit();
				const correct = await person.waitForPage(FIX.correct);
				assertSays(
					correct,
					`Electio could not book consignment ${reference}: The carrier rejected the destination postcode 'M1 5WGG': check the address.`,
					'the correction page',
				);
				assertEqual(
					await person.page.getByLabel('Postcode', { exact: true }).inputValue(),
					'M1 5WGG',
					'the postcode as it is',
				);
				assertEqual(
					await person.page.getByLabel('Town', { exact: true }).inputValue(),
					'Manchester',
					'the town as it is',
				);
				await person.fill('Postcode', 'M1 5WG');
				await person.screenshot('fix-2-correct');
				await person.submit();
				await person.waitForPage(FIX.choose);
				const options = await person.options();
				const chosen = (await choicesOnPage(person)).find((c) => c.label === options[0])!;
				await person.choose(options[0]);
				await person.screenshot('fix-3-choose');
				const download = person.expectDownload();
				await person.submit();
				await person.waitForPage(FIX.booked);
				await person.screenshot('fix-4-label');
				assert((await isPdf((await download).bytes)) >= 1, 'the label is a PDF');
				const fixed = sandbox.getConsignment(reference) as any;
				const destination = fixed.Addresses.find((a: any) => a.AddressType === 'Destination');
				assertEqual(destination.Postcode, 'M1 5WG', 'the corrected postcode');
				assertBookedWith(sandbox, 'ORDER-5150', chosen.quoteReference);
			} finally {
				await person.leave();
			}
		},
		NEEDS_2X,
	);

	// last: they move the sandbox's clock on by hours or days, which later pages' dates would show
	test(
		'forms: in-store booking, the quote expired while the customer decided: same price, so it is booked anyway with the same service',
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter({ number: 'SHOP-1002' }, async (person) => {
				await person.waitForPage(IN_STORE.choose);
				const [first] = await choicesOnPage(person);
				const record = consignmentOf(editor.sandbox, 'SHOP-1002');
				const chosen = (first as any).service as string;
				await expireQuotes(
					editor.sandbox,
					record.Reference,
					chosen,
					(before, now) => before === now,
					(first as any).priceGross,
				);
				await person.choose(first.label);
				const download = person.expectDownload();
				await person.submit();
				await person.waitForPage(IN_STORE.booked);
				await download;
				const booked = consignmentOf(editor.sandbox, 'SHOP-1002');
				assert(
					booked.QuoteReference !== first.quoteReference,
					'a fresh quote was allocated, not the expired one',
				);
				assertEqual(
					plain(booked.CarrierServiceName),
					plain(chosen),
					'the same carrier service as chosen',
				);
				assertEqual(
					booked.Allocation.Price.Gross,
					(first as any).priceGross,
					'the same price as shown',
				);
				assertEqual(allocations(editor.sandbox, booked.Reference).length, 1, 'allocations');
			});
		},
		NEEDS_2X,
	);

	test(
		'forms: in-store booking, the quote expired and the price changed: the page says so and shows the fresh choices; the new choice is booked',
		async () => {
			const { editor } = context();
			editor.sandbox.reset();
			await atTheCounter({ number: 'SHOP-1003' }, async (person) => {
				await person.waitForPage(IN_STORE.choose);
				const [first] = (await choicesOnPage(person)) as any[];
				const record = consignmentOf(editor.sandbox, 'SHOP-1003');
				await expireQuotes(
					editor.sandbox,
					record.Reference,
					first.service,
					(before, now) => before !== now,
					first.priceGross,
				);
				await person.choose(first.label);
				await person.submit();
				const again = await person.waitForPage(IN_STORE.chooseAgain);
				await person.screenshot('in-store-4-price-changed');
				assertSays(
					again,
					new RegExp(
						`The price of .+ has changed from ${first.label.split(' · ')[2].replace('.', '\\.')} to £\\d+\\.\\d\\d: please choose again\\.`,
					),
					'the choose-again page',
				);
				assertEqual(
					allocations(editor.sandbox, record.Reference).length,
					0,
					'nothing allocated yet',
				);
				const fresh = await choicesOnPage(person);
				assert(
					fresh.every((choice) => choice.quoteReference !== first.quoteReference),
					'the choices shown again are fresh quotes',
				);
				const options = await person.options();
				await person.choose(options[0]);
				const download = person.expectDownload();
				await person.submit();
				await person.waitForPage(IN_STORE.booked);
				assert((await isPdf((await download).bytes)) >= 1, 'the label is a PDF');
				assertBookedWith(
					editor.sandbox,
					'SHOP-1003',
					fresh.find((choice) => choice.label === options[0])!.quoteReference,
				);
			});
		},
		NEEDS_2X,
	);
}
