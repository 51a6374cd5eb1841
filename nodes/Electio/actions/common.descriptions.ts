import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ClientHints, ClientSettings } from '../transport';
import { DEFAULT_CLIENT_SETTINGS } from '../transport';

/** The reference of the consignment to act on; chains from the previous Electio step by default. */
export const consignmentReferenceField: INodeProperties = {
	displayName: 'Consignment Reference',
	name: 'consignmentReference',
	type: 'string',
	required: true,
	default: '={{ $json.consignmentReference }}',
	placeholder: 'EC-000-05B-MMA',
	description:
		'The Electio consignment reference. Every Electio step outputs consignmentReference, so the default reads it from the previous step.',
};

export const MAX_CONCURRENCY_LIMIT = 200;

/** Request behaviour shared by every operation, under one "Options" collection at the end. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Concurrency',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY_LIMIT },
			default: 5,
			description:
				'How many items are sent to Electio at the same time. When Electio answers 429 (rate limited) the node slows down by itself and speeds up again.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				'How many times a call is repeated after a 429, 502, 503, 504 or a connection error, waiting longer each time and as long as Retry-After asks. Creating a consignment is only repeated when Electio certainly did not create it.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: 30000,
			description: 'How long to wait for each answer from Electio, in milliseconds',
		},
	],
};

export function readClientSettings(context: IExecuteFunctions): ClientSettings {
	const options = context.getNodeParameter('requestOptions', 0, {}) as {
		maxConcurrency?: number;
		maxRetries?: number;
		timeout?: number;
	};
	const clamp = (value: unknown, min: number, max: number, fallback: number) => {
		const number = Number(value);
		return Number.isFinite(number) ? Math.min(max, Math.max(min, Math.floor(number))) : fallback;
	};
	return {
		maxConcurrency: clamp(
			options.maxConcurrency,
			1,
			MAX_CONCURRENCY_LIMIT,
			DEFAULT_CLIENT_SETTINGS.maxConcurrency,
		),
		maxRetries: clamp(options.maxRetries, 0, 20, DEFAULT_CLIENT_SETTINGS.maxRetries),
		timeoutMs: clamp(options.timeout, 1000, 600_000, DEFAULT_CLIENT_SETTINGS.timeoutMs),
	};
}

/** What the node tells a user after a failed call, naming the fields they can change. */
export const clientHints: ClientHints = {
	notFound: 'Check the consignment reference: Electio does not know it.',
	stateConflict:
		'The consignment is not in a state that allows this step; use Consignment > Get to see its state.',
	expired:
		'Quotes expire: get fresh quotes and allocate right after (Quote Selection "Cheapest" or "Fastest" does both).',
	throttled:
		'Electio kept rate-limiting this call; raise "Max Retries" or lower "Max Concurrency".',
	timeout: 'Raise the "Timeout" option if Electio is slow to answer.',
};
