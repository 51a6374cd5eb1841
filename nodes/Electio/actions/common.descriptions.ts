import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { bounded } from '../helpers/validation';
import type { ClientHints, ClientSettings } from '../transport';
import { ACCOUNT_CEILING, DEFAULT_CLIENT_SETTINGS } from '../transport';

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

/**
 * Request behaviour shared by every operation, under one "Options" collection at the end. Max
 * Concurrency goes up to the account's own ceiling; a test holds the other defaults equal to
 * DEFAULT_CLIENT_SETTINGS.
 */
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
			typeOptions: { minValue: 1, maxValue: ACCOUNT_CEILING },
			default: ACCOUNT_CEILING,
			description:
				"How many of this step's items are sent to Electio at the same time. All executions using the same Electio account in this n8n process also share one limit that adapts to Electio's rate limit by itself.",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				'How many times a call is repeated after a 502, 503, 504 or a connection error, waiting longer each time. Creating a consignment is only repeated when Electio certainly did not create it.',
		},
		{
			displayName: 'Max Wait When Throttled (Seconds)',
			name: 'maxThrottleWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600 },
			default: 180,
			description:
				"How long a call may keep waiting while Electio answers 429 (rate limited), as Retry-After asks, before its item fails. The default lets a burst of a few hundred orders through a limited account; lower it when the caller can't wait that long.",
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
		maxThrottleWaitSeconds?: number;
		timeout?: number;
	};
	const whole = (value: unknown, min: number, max: number, fallback: number) =>
		Math.floor(bounded(value, min, max, fallback));
	const defaults = DEFAULT_CLIENT_SETTINGS;
	return {
		maxConcurrency: whole(options.maxConcurrency, 1, ACCOUNT_CEILING, defaults.maxConcurrency),
		maxRetries: whole(options.maxRetries, 0, 20, defaults.maxRetries),
		maxThrottleWaitMs:
			whole(options.maxThrottleWaitSeconds, 1, 3600, defaults.maxThrottleWaitMs / 1000) * 1000,
		timeoutMs: whole(options.timeout, 1000, 600_000, defaults.timeoutMs),
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
		'Electio kept rate-limiting this call; raise "Max Wait When Throttled" in Request Options, or spread the work over more time.',
	timeout: 'Raise the "Timeout" option if Electio is slow to answer.',
};
