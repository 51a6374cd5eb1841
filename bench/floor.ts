// The floor contender: a bare client (Node's fetch) making the same calls as our node's flow at its
// defaults, per consignment with a fixed number of workers: a lookup by customer reference, Create,
// the lookup again (never twice, as Create's "Use Existing" does), Get Quotes, Allocate (cheapest),
// Get Labels (PDF); then one Manifest From Query. No n8n, no retries beyond waiting out a 429's
// Retry-After. Run in its own process by bench/run.ts so its peak RSS is its own:
//   node --import tsx bench/floor.ts '{"url":"http://127.0.0.1:4010","apiKey":"...","n":300,"concurrency":5}'
// Prints one JSON line: { startedAt, stoppedAt, failed, labelBytes, maxRssKb }.
import { orderBody } from '../harness/fixtures/consignments';

interface FloorOptions {
	url: string;
	apiKey: string;
	n: number;
	concurrency: number;
	/** attempts per call before the consignment counts as failed */
	maxAttempts?: number;
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as FloorOptions;
	const maxAttempts = options.maxAttempts ?? 20;
	const headers = {
		'ocp-apim-subscription-key': options.apiKey,
		'electio-api-version': '1.1',
		accept: 'application/json',
		'content-type': 'application/json',
	};

	const call = async <T>(
		method: string,
		path: string,
		body?: unknown,
		{ notFound }: { notFound?: T } = {},
	): Promise<T> => {
		for (let attempt = 1; ; attempt++) {
			const response = await fetch(options.url + path, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
			if (response.status === 404 && notFound !== undefined) return notFound;
			if (response.status === 429 && attempt < maxAttempts) {
				const seconds = Number(response.headers.get('retry-after') ?? '1');
				await new Promise((resolve) =>
					setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 1) * 1000),
				);
				continue;
			}
			throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
		}
	};

	const labels: Buffer[] = new Array(options.n);
	let failed = 0;
	let next = 0;
	const startedAt = Date.now();
	const worker = async () => {
		while (next < options.n) {
			const index = next++;
			try {
				const body = orderBody(index + 1);
				const customerReference = String(body.ConsignmentReferenceProvidedByCustomer);
				// the lookup before and after Create; nothing found is a 404
				const lookUp = () =>
					call<{ ConsignmentSummaries?: unknown[] }>(
						'GET',
						`/consignments/50/0?referenceProvidedByCustomer=${encodeURIComponent(customerReference)}`,
						undefined,
						{ notFound: {} },
					);
				await lookUp();
				const created = await call<Array<{ Href: string }>>('POST', '/consignments', body);
				await lookUp();
				const reference = created[0].Href.split('/').pop()!;
				const quotes = await call<{
					Quotes: Array<{ QuoteReference: string; Price: { Gross: number } }>;
				}>('GET', `/quotes/consignment/${reference}`);
				let cheapest = quotes.Quotes[0];
				for (const quote of quotes.Quotes)
					if (quote.Price.Gross < cheapest.Price.Gross) cheapest = quote;
				await call('PUT', `/allocation/${reference}/allocatewithquote/${cheapest.QuoteReference}`);
				const label = await call<{ File: string }>('GET', `/labels/${reference}/PDF`);
				labels[index] = Buffer.from(label.File, 'base64');
			} catch (error) {
				failed++;
				if (failed <= 3) process.stderr.write(`floor: ${(error as Error).message}\n`);
			}
		}
	};
	await Promise.all(
		Array.from({ length: Math.max(1, Math.min(options.concurrency, options.n)) }, worker),
	);
	await call('PUT', '/consignments/manifestFromQuery', {});
	const stoppedAt = Date.now();
	const labelBytes = labels.reduce((sum, label) => sum + (label?.length ?? 0), 0);
	process.stdout.write(
		`${JSON.stringify({ startedAt, stoppedAt, failed, labelBytes, maxRssKb: process.resourceUsage().maxRSS })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`floor failed: ${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
