// The consignment store and its state machine. Every operation checks the current state
// against the contract's table and throws a 400 naming the state and the allowed ones:
// a wrong transition is never a silent success.
import { CARRIER_BY_REF, Carrier, CarrierService } from './catalogue';
import {
	commercialInvoicePdf,
	cn22Pdf,
	cn23Pdf,
	CustomsInput,
	LabelInput,
	labelPdf,
	labelPng,
	labelZpl,
} from './documents';
import { computeQuotes, IssuedQuote } from './quotes';
import { ConsignmentState, StateChange, StoredConsignment } from './types';
import {
	ApiError,
	dateOnly,
	deterministicGuid,
	ErrorDetail,
	isoOffset,
	isPlainObject,
	parseDate,
	Rng,
	sequentialRef,
	streamSeed,
	ukDateTime,
} from './util';
import { NormalisedCreate, PackageMetrics, validateCreate } from './validation';

export const MANIFESTABLE: ConsignmentState[] = ['Allocated', 'ManifestFailed', 'ReadyToShip'];
const ALL_STATES: ConsignmentState[] = [
	'Unallocated',
	'AllocationFailed',
	'Allocated',
	'ReadyToShip',
	'ManifestFailed',
	'Manifested',
	'Cancelled',
];

/** Which states each action may start from (contract table). */
export const ALLOWED_FROM: Record<string, ConsignmentState[]> = {
	allocate: ['Unallocated', 'AllocationFailed'],
	labels: ['Allocated', 'ReadyToShip', 'ManifestFailed', 'Manifested'],
	customs: ['Allocated', 'ReadyToShip', 'ManifestFailed', 'Manifested'],
	manifest: MANIFESTABLE,
	deallocate: ['Allocated', 'ManifestFailed', 'Manifested'],
	cancel: ['Unallocated', 'AllocationFailed', 'Allocated', 'ManifestFailed', 'Manifested'],
	setReadyToShip: ['Allocated'],
	setNotReadyToShip: ['ReadyToShip'],
	quote: [
		'Unallocated',
		'AllocationFailed',
		'Allocated',
		'ReadyToShip',
		'ManifestFailed',
		'Manifested',
	],
};

/** Magic customer references that make the first attempt fail, to reach the *Failed states. */
export const FAIL_ALLOCATION_MARK = 'SANDBOX-FAIL-ALLOCATION';
export const FAIL_MANIFEST_MARK = 'SANDBOX-FAIL-MANIFEST';

interface Allocation {
	quote: IssuedQuote;
	service: CarrierService;
	carrier: Carrier;
	tracking: string[];
	at: Date;
}

export interface DocumentResult {
	File: string;
	ContentType: string;
}

interface Rec extends Omit<NormalisedCreate, 'doc'> {
	ref: string;
	doc: Record<string, unknown>;
	history: StateChange[];
	quoteRefs: Set<string>;
	allocation: Allocation | null;
	shippingDate: Date | null;
	requiredDate: Date | null;
	failedAllocations: number;
	failedManifests: number;
	/** generated documents per format; dropped when the allocation changes */
	docs: Map<string, Promise<Buffer>>;
}

export interface ManifestResult {
	IsSuccess: boolean;
	Message: string;
	Data: string;
	ApiLinks: { Rel: string; Href: string }[];
}

export class Store {
	private byRef = new Map<string, Rec>();
	private quoteIndex = new Map<string, IssuedQuote>();
	private consignmentSeq = 0;
	private packageSeq = 0;
	private guidSeq = 0;
	private trackingRng: Rng;

	constructor(
		private seed: number,
		private clock: () => Date,
		private baseUrl: () => string,
	) {
		this.trackingRng = new Rng(streamSeed(seed, 'tracking'));
	}

	/** Counters keep running across reset() so references never repeat within a run. */
	reset(): void {
		this.byRef.clear();
		this.quoteIndex.clear();
	}

	guid(name: string): string {
		return deterministicGuid(this.seed, `${name}:${++this.guidSeq}`);
	}

	size(): number {
		return this.byRef.size;
	}

	has(ref: string): boolean {
		return this.byRef.has(ref);
	}

	private rec(ref: string): Rec {
		const r = this.byRef.get(ref);
		if (!r) throw new ApiError(404, 'ConsignmentNotFound', `Consignment ${ref} was not found`);
		return r;
	}

	private setState(r: Rec, to: ConsignmentState, action: string): void {
		r.doc.ConsignmentState = to;
		r.history.push({ state: to, at: isoOffset(this.clock()), action });
	}

	private requireState(r: Rec, action: keyof typeof ALLOWED_FROM, verb: string): void {
		const state = r.doc.ConsignmentState as ConsignmentState;
		const allowed = ALLOWED_FROM[action];
		if (!allowed.includes(state)) {
			throw new ApiError(
				400,
				'InvalidConsignmentState',
				`Cannot ${verb} consignment ${r.ref}: it is in state ${state}; allowed only from ${allowed.join(', ')}`,
				[
					{
						Code: 'InvalidConsignmentState',
						Message: `Current state ${state}; allowed: ${allowed.join(', ')}`,
						Target: 'ConsignmentState',
					},
				],
			);
		}
	}

	create(body: unknown): Rec {
		const n = validateCreate(body);
		const ref = sequentialRef('EC', ++this.consignmentSeq);
		const now = this.clock();
		const doc = n.doc;
		doc.Reference = ref;
		doc.CustomerReference = this.guid('customer');
		doc.DateCreated = isoOffset(now);
		for (const p of doc.Packages as Record<string, unknown>[])
			p.Reference = sequentialRef('EP', ++this.packageSeq);
		const r: Rec = {
			...n,
			ref,
			doc,
			history: [{ state: 'Unallocated', at: isoOffset(now), action: 'create' }],
			quoteRefs: new Set(),
			allocation: null,
			shippingDate: parseDate(doc.ShippingDate),
			requiredDate: parseDate(doc.RequestedDeliveryDate),
			failedAllocations: 0,
			failedManifests: 0,
			docs: new Map(),
		};
		this.byRef.set(ref, r);
		return r;
	}

	customerReference(ref: string): string | undefined {
		const r = this.byRef.get(ref);
		return r ? (r.doc.ConsignmentReferenceProvidedByCustomer as string) : undefined;
	}

	getDoc(ref: string): Record<string, unknown> {
		return this.rec(ref).doc;
	}

	snapshot(ref: string): StoredConsignment | undefined {
		const r = this.byRef.get(ref);
		if (!r) return undefined;
		const a = r.allocation;
		return {
			...(structuredClone(r.doc) as Record<string, unknown>),
			Reference: r.ref,
			ConsignmentState: r.doc.ConsignmentState as ConsignmentState,
			ConsignmentReferenceProvidedByCustomer: r.doc
				.ConsignmentReferenceProvidedByCustomer as string,
			LabelsPrinted: r.doc.LabelsPrinted as boolean,
			CarrierReference: a ? a.carrier.Reference : null,
			CarrierName: a ? a.carrier.Name : null,
			CarrierServiceReference: a ? a.service.Reference : null,
			CarrierServiceName: a ? a.service.Name : null,
			QuoteReference: a ? a.quote.quoteReference : null,
			TrackingReferences: a ? [...a.tracking] : [],
			history: r.history.map((h) => ({ ...h })),
		};
	}

	all(): StoredConsignment[] {
		return [...this.byRef.keys()].map((k) => this.snapshot(k)!);
	}

	private runQuotes(r: Rec) {
		const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
		return computeQuotes(
			{
				reference: r.ref,
				customerReference: r.doc.ConsignmentReferenceProvidedByCustomer as string,
				packages: r.packages,
				originCountry: r.originCountry,
				destinationCountry: r.destinationCountry,
				originAddress: origin,
				destinationAddress: destination,
				shippingDate: r.shippingDate,
				requiredDeliveryDate: r.requiredDate,
			},
			this.clock(),
			(svc) => this.guid(`quote:${r.ref}:${svc}`),
		);
	}

	quotes(ref: string): Record<string, unknown> {
		const r = this.rec(ref);
		this.requireState(r, 'quote', 'quote');
		const run = this.runQuotes(r);
		for (const q of run.quotes) {
			this.quoteIndex.set(q.quoteReference, q);
			r.quoteRefs.add(q.quoteReference);
		}
		return {
			QuoteRequestReference: this.guid(`quoterequest:${ref}`),
			Quotes: run.quotes.map((q) => q.body),
			Message: run.quotes.length
				? null
				: 'No carrier service can carry this consignment; see UnqualifiedServices',
			UnqualifiedServices: run.unqualified,
		};
	}

	private trackingNumber(c: Carrier): string {
		const g = this.trackingRng;
		switch (c.tracking) {
			case 'royalmail':
				return `${g.alnum(2).replace(/[0-9]/g, 'R')}${g.digits(9)}GB`;
			case 'dpd':
				return `15${g.digits(12)}`;
			case 'ups':
				return `1Z${g.alnum(16)}`;
			case 'dhl':
				return g.digits(10);
			case 'parcelforce':
				return `PB${g.alnum(2).replace(/[0-9]/g, 'X')}${g.digits(7)}001`;
			default:
				return `PW${g.digits(10)}`;
		}
	}

	/** The allocation attempt shared by allocatewithquote and allocatewithcheapestquote. */
	private allocate(r: Rec, q: IssuedQuote): unknown[] {
		const custRef = String(r.doc.ConsignmentReferenceProvidedByCustomer);
		if (custRef.includes(FAIL_ALLOCATION_MARK) && r.failedAllocations === 0) {
			r.failedAllocations++;
			r.doc.FailedAllocation = {
				Reason: 'Carrier rejected the allocation (sandbox failure mark)',
				Date: isoOffset(this.clock()),
			};
			this.setState(r, 'AllocationFailed', 'allocate');
			throw new ApiError(
				400,
				'AllocationFailed',
				`Allocation of consignment ${r.ref} with ${q.service.Name} failed: carrier rejected the request`,
			);
		}
		const carrier = CARRIER_BY_REF.get(q.service.CarrierReference)!;
		const tracking = r.packages.map(() => this.trackingNumber(carrier));
		const now = this.clock();
		r.allocation = { quote: q, service: q.service, carrier, tracking, at: now };
		r.docs.clear();
		const leg = {
			Leg: 1,
			TrackingReferences: tracking,
			CarrierReference: carrier.Reference,
			CarrierServiceReference: null,
			CarrierName: carrier.Name,
		};
		const d = r.doc;
		d.Allocation = {
			CarrierReference: carrier.Reference,
			CarrierName: carrier.Name,
			CarrierServiceReference: q.service.Reference,
			CarrierServiceName: q.service.Name,
			QuoteReference: q.quoteReference,
			AllocationDate: isoOffset(now),
			Price: (q.body as { Price: unknown }).Price,
		};
		d.FailedAllocation = null;
		d.ConsignmentLegs = [leg];
		(d.Packages as Record<string, unknown>[]).forEach((p, i) => {
			p.ConsignmentLegs = [
				{
					Leg: 1,
					TrackingReferences: [tracking[i]],
					CarrierReference: carrier.Reference,
					CarrierName: carrier.Name,
				},
			];
		});
		d.CollectionDate = isoOffset(q.collection);
		d.EarliestDeliveryDate = isoOffset(q.earliest);
		d.LatestDeliveryDate = isoOffset(q.latest);
		this.setState(r, 'Allocated', 'allocate');
		const base = this.baseUrl();
		const shipAt = new Date(q.collection.getTime() + 17 * 3600000);
		return [
			{
				StatusCode: 200,
				ApiLinks: [
					{ Rel: 'detail', Href: `${base}/consignments/${r.ref}` },
					{ Rel: 'label', Href: `${base}/labels/${r.ref}` },
				],
				Description: `Consignment ${r.ref} has been successfully allocated with ${q.service.Name} for shipping on ${ukDateTime(shipAt)}`,
				ConsignmentLegs: [leg],
				CarrierReference: carrier.Reference,
				CarrierName: carrier.Name,
				CarrierServiceReference: q.service.Reference,
				CarrierServiceName: q.service.Name,
			},
		];
	}

	allocateWithQuote(ref: string, quoteRef: string): unknown[] {
		const r = this.rec(ref);
		this.requireState(r, 'allocate', 'allocate');
		const q = this.quoteIndex.get(quoteRef.toLowerCase());
		if (!q) {
			throw new ApiError(
				404,
				'QuoteNotFound',
				`Quote ${quoteRef} was not found; request quotes with GET /quotes/consignment/${ref} first`,
			);
		}
		if (q.consignmentReference !== ref) {
			throw new ApiError(
				400,
				'QuoteMismatch',
				`Quote ${quoteRef} belongs to consignment ${q.consignmentReference}, not ${ref}`,
				[
					{
						Code: 'QuoteMismatch',
						Message: `Quote belongs to ${q.consignmentReference}`,
						Target: 'quoteReference',
					},
				],
			);
		}
		if (this.clock().getTime() > q.expiresAt) {
			throw new ApiError(
				400,
				'QuoteExpired',
				`Quote ${quoteRef} expired at ${isoOffset(new Date(q.expiresAt))}; request new quotes`,
				[{ Code: 'QuoteExpired', Message: 'The quote has expired', Target: 'quoteReference' }],
			);
		}
		return this.allocate(r, q);
	}

	allocateCheapest(ref: string): unknown[] {
		const r = this.rec(ref);
		this.requireState(r, 'allocate', 'allocate');
		const run = this.runQuotes(r);
		if (!run.quotes.length) {
			r.doc.FailedAllocation = {
				Reason: 'No qualifying carrier service',
				Date: isoOffset(this.clock()),
			};
			this.setState(r, 'AllocationFailed', 'allocate');
			throw new ApiError(
				400,
				'AllocationFailed',
				`Consignment ${ref} could not be allocated: no carrier service qualifies`,
				run.unqualified.map((u) => ({
					Code: 'Unqualified',
					Message: String(u.ExclusionReason),
					Target: String(u.MpdCarrierServiceReference),
				})),
			);
		}
		const q = run.quotes[0];
		this.quoteIndex.set(q.quoteReference, q);
		r.quoteRefs.add(q.quoteReference);
		return this.allocate(r, q);
	}

	private labelInput(r: Rec, onlyPackage?: string): LabelInput {
		const a = r.allocation!;
		const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
		const pkgs = (r.doc.Packages as Record<string, unknown>[]).map((p, i) => ({
			reference: String(p.Reference),
			tracking: a.tracking[i],
			weightKg: (r.packages[i] as PackageMetrics).weightKg,
			description: (p.Description as string) ?? null,
		}));
		return {
			consignmentReference: r.ref,
			customerReference: String(r.doc.ConsignmentReferenceProvidedByCustomer ?? ''),
			carrierName: a.carrier.Name,
			carrierReference: a.carrier.Reference,
			serviceName: a.service.Name.replace(/\u00a0/g, ' '),
			origin,
			destination,
			packages: onlyPackage ? pkgs.filter((p) => p.reference === onlyPackage) : pkgs,
			shippingDate: dateOnly(a.quote.collection),
		};
	}

	async labels(ref: string, format: string, packageRef?: string): Promise<DocumentResult> {
		const r = this.rec(ref);
		this.requireState(r, 'labels', 'get labels for');
		const fmt = format.toUpperCase();
		if (
			packageRef &&
			!(r.doc.Packages as Record<string, unknown>[]).some((p) => p.Reference === packageRef)
		) {
			throw new ApiError(
				404,
				'PackageNotFound',
				`Package ${packageRef} is not part of consignment ${ref}`,
			);
		}
		const key = `${fmt}:${packageRef ?? ''}`;
		let p = r.docs.get(key);
		if (!p) {
			const input = this.labelInput(r, packageRef);
			p =
				fmt === 'PDF'
					? labelPdf(input)
					: fmt === 'PNG'
						? labelPng(input)
						: Promise.resolve(labelZpl(input));
			r.docs.set(key, p);
			p.catch(() => r.docs.delete(key));
		}
		const allocation = r.allocation;
		const file = await p;
		// The consignment may have been deallocated/cancelled while the file was being built.
		if (
			r.allocation !== allocation ||
			!ALLOWED_FROM.labels.includes(r.doc.ConsignmentState as ConsignmentState)
		) {
			throw new ApiError(
				409,
				'ConsignmentChanged',
				`Consignment ${ref} changed (now ${String(r.doc.ConsignmentState)}) while its labels were being generated`,
			);
		}
		const d = r.doc;
		if (!d.LabelsPrinted) d.DateLabelsWereFirstPrinted = isoOffset(this.clock());
		d.LabelsPrinted = true;
		d.LabelCount = r.packages.length;
		const contentType =
			fmt === 'PDF' ? 'application/pdf' : fmt === 'PNG' ? 'image/png' : 'x-application/zpl';
		return { File: file.toString('base64'), ContentType: contentType };
	}

	async customsDocuments(ref: string): Promise<Record<string, { Key: string; Value: string }[]>> {
		const r = this.rec(ref);
		this.requireState(r, 'customs', 'get customs documents for');
		if (r.destinationCountry === r.originCountry) {
			return { CommercialInvoiceDocuments: [], CN22Documents: [] };
		}
		const a = r.allocation!;
		const [origin, destination] = r.doc.Addresses as Record<string, unknown>[];
		const input: CustomsInput = {
			consignmentReference: r.ref,
			customerReference: String(r.doc.ConsignmentReferenceProvidedByCustomer ?? ''),
			origin,
			destination,
			packages: r.doc.Packages as Record<string, unknown>[],
			declaredValueGbp: r.declaredValueGbp,
			customs: isPlainObject(r.doc.CustomsDocumentation) ? r.doc.CustomsDocumentation : null,
			carrierName: a.carrier.Name,
			tracking: a.tracking,
			date: dateOnly(this.clock()),
		};
		const cn22 = r.declaredValueGbp <= 270;
		const cache = (k: string, f: () => Promise<Buffer>) => {
			let p = r.docs.get(k);
			if (!p) {
				p = f();
				r.docs.set(k, p);
			}
			return p;
		};
		const [inv, cn] = await Promise.all([
			cache('INV', () => commercialInvoicePdf(input)),
			cache(cn22 ? 'CN22' : 'CN23', () => (cn22 ? cn22Pdf(input) : cn23Pdf(input))),
		]);
		const invDocs = [{ Key: `INV_${r.ref}.pdf`, Value: inv.toString('base64') }];
		return cn22
			? {
					CommercialInvoiceDocuments: invDocs,
					CN22Documents: [{ Key: `CN22_${r.ref}.pdf`, Value: cn.toString('base64') }],
				}
			: {
					CommercialInvoiceDocuments: invDocs,
					CN23Documents: [{ Key: `CN23_${r.ref}.pdf`, Value: cn.toString('base64') }],
				};
	}

	cancel(ref: string): void {
		const r = this.rec(ref);
		this.requireState(r, 'cancel', 'cancel');
		this.setState(r, 'Cancelled', 'cancel');
	}

	deallocate(ref: string): void {
		const r = this.rec(ref);
		this.requireState(r, 'deallocate', 'deallocate');
		r.allocation = null;
		r.docs.clear();
		const d = r.doc;
		d.Allocation = null;
		d.ConsignmentLegs = [];
		for (const p of d.Packages as Record<string, unknown>[]) p.ConsignmentLegs = [];
		d.CollectionDate = null;
		d.EarliestDeliveryDate = null;
		d.LatestDeliveryDate = null;
		d.LabelsPrinted = false;
		d.LabelCount = 0;
		d.DateLabelsWereFirstPrinted = null;
		this.setState(r, 'Unallocated', 'deallocate');
	}

	/** Batch ready/not-ready: all-or-nothing, a 400 lists every reference that cannot move. */
	setReadyToShip(refs: unknown, ready: boolean): ManifestResult[] {
		if (!Array.isArray(refs) || refs.length === 0 || !refs.every((x) => typeof x === 'string')) {
			throw new ApiError(
				400,
				'ValidationFailed',
				'The body must be a non-empty array of consignment references',
				[{ Code: 'Invalid', Message: 'Expected ["EC-…", …]', Target: 'body' }],
			);
		}
		const action = ready ? 'setReadyToShip' : 'setNotReadyToShip';
		const errs: ErrorDetail[] = [];
		const recs: Rec[] = [];
		(refs as string[]).forEach((ref, i) => {
			const r = this.byRef.get(ref);
			if (!r)
				errs.push({
					Code: 'ConsignmentNotFound',
					Message: `Consignment ${ref} was not found`,
					Target: `[${i}]`,
				});
			else if (!ALLOWED_FROM[action].includes(r.doc.ConsignmentState as ConsignmentState)) {
				errs.push({
					Code: 'InvalidConsignmentState',
					Message: `Consignment ${ref} is in state ${String(r.doc.ConsignmentState)}; allowed only from ${ALLOWED_FROM[action].join(', ')}`,
					Target: `[${i}]`,
				});
			} else recs.push(r);
		});
		if (errs.length) {
			throw new ApiError(
				400,
				'InvalidConsignmentState',
				`Cannot set ${ready ? '' : 'not '}ready to ship: ${errs.map((e) => e.Message).join('; ')}`,
				errs,
			);
		}
		return recs.map((r) => {
			this.setState(r, ready ? 'ReadyToShip' : 'Allocated', action);
			return {
				IsSuccess: true,
				Message: `Consignment ${r.ref} is now ${ready ? 'ReadyToShip' : 'Allocated'}`,
				Data: r.ref,
				ApiLinks: [{ Rel: 'detail', Href: `${this.baseUrl()}/consignments/${r.ref}` }],
			};
		});
	}

	/** One manifest attempt; false (and ManifestFailed) when the failure mark fires. */
	private manifestOne(r: Rec): { ok: boolean; message: string } {
		const state = r.doc.ConsignmentState as ConsignmentState;
		if (!MANIFESTABLE.includes(state)) {
			return {
				ok: false,
				message: `Consignment ${r.ref} is in state ${state}; only ${MANIFESTABLE.join(', ')} can be manifested`,
			};
		}
		if (
			String(r.doc.ConsignmentReferenceProvidedByCustomer).includes(FAIL_MANIFEST_MARK) &&
			r.failedManifests === 0
		) {
			r.failedManifests++;
			this.setState(r, 'ManifestFailed', 'manifest');
			return {
				ok: false,
				message: `Consignment ${r.ref} could not be manifested: carrier rejected the manifest`,
			};
		}
		this.setState(r, 'Manifested', 'manifest');
		return { ok: true, message: `Consignment ${r.ref} has been queued to manifest` };
	}

	manifest(body: unknown): ManifestResult[] {
		const refs = isPlainObject(body) ? body.ConsignmentReferences : undefined;
		if (!Array.isArray(refs) || refs.length === 0 || !refs.every((x) => typeof x === 'string')) {
			throw new ApiError(
				400,
				'ValidationFailed',
				'ConsignmentReferences must be a non-empty array of references',
				[
					{
						Code: 'Required',
						Message: 'ConsignmentReferences is required',
						Target: 'ConsignmentReferences',
					},
				],
			);
		}
		return (refs as string[]).map((ref) => {
			const r = this.byRef.get(ref);
			const links = [
				{ Rel: 'detail', Href: `${this.baseUrl()}/consignments/${encodeURIComponent(ref)}` },
			];
			if (!r)
				return {
					IsSuccess: false,
					Message: `Consignment ${ref} was not found`,
					Data: ref,
					ApiLinks: links,
				};
			const res = this.manifestOne(r);
			return { IsSuccess: res.ok, Message: res.message, Data: ref, ApiLinks: links };
		});
	}

	/** The date a consignment ships on, for the ShippingDate filters. */
	private shipDay(r: Rec): string {
		if (r.shippingDate) return dateOnly(r.shippingDate);
		if (r.allocation) return dateOnly(r.allocation.quote.collection);
		return String(r.doc.DateCreated).slice(0, 10);
	}

	manifestFromQuery(body: unknown): { Message: string; FailedConsignments: string[] } {
		const q = body === undefined ? {} : body;
		const errs: ErrorDetail[] = [];
		if (!isPlainObject(q))
			throw new ApiError(400, 'ValidationFailed', 'The body must be a query object', [
				{ Code: 'Invalid', Message: 'Expected an object', Target: 'body' },
			]);
		const strArray = (k: string): string[] | undefined => {
			const v = q[k];
			if (v === undefined || v === null) return undefined;
			if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
				errs.push({ Code: 'Invalid', Message: `${k} must be an array of strings`, Target: k });
				return undefined;
			}
			return v as string[];
		};
		const locations = strArray('ShippingLocationReferences');
		const states = strArray('States');
		const carriers = strArray('Carriers');
		states?.forEach((s, i) => {
			if (!ALL_STATES.includes(s as ConsignmentState))
				errs.push({ Code: 'Invalid', Message: `Unknown state '${s}'`, Target: `States[${i}]` });
			else if (!MANIFESTABLE.includes(s as ConsignmentState)) {
				errs.push({
					Code: 'Invalid',
					Message: `State '${s}' cannot be manifested; use ${MANIFESTABLE.join(', ')}`,
					Target: `States[${i}]`,
				});
			}
		});
		if (
			q.LabelsPrinted !== undefined &&
			q.LabelsPrinted !== null &&
			typeof q.LabelsPrinted !== 'boolean'
		) {
			errs.push({
				Code: 'Invalid',
				Message: 'LabelsPrinted must be true or false',
				Target: 'LabelsPrinted',
			});
		}
		let shipDay: string | undefined;
		if (q.ShippingDate !== undefined && q.ShippingDate !== null) {
			const d = parseDate(q.ShippingDate);
			if (!d)
				errs.push({
					Code: 'Invalid',
					Message: 'ShippingDate must be an ISO 8601 date',
					Target: 'ShippingDate',
				});
			else shipDay = dateOnly(d);
		}
		const ranges: { from: string; to: string }[] = [];
		if (q.ShippingDateRanges !== undefined && q.ShippingDateRanges !== null) {
			if (!Array.isArray(q.ShippingDateRanges))
				errs.push({
					Code: 'Invalid',
					Message: 'ShippingDateRanges must be an array of {From, To}',
					Target: 'ShippingDateRanges',
				});
			else {
				q.ShippingDateRanges.forEach((rg, i) => {
					const from = isPlainObject(rg) ? parseDate(rg.From) : null;
					const to = isPlainObject(rg) ? parseDate(rg.To) : null;
					if (!from)
						errs.push({
							Code: 'Invalid',
							Message: 'From must be an ISO 8601 date',
							Target: `ShippingDateRanges[${i}].From`,
						});
					if (!to)
						errs.push({
							Code: 'Invalid',
							Message: 'To must be an ISO 8601 date',
							Target: `ShippingDateRanges[${i}].To`,
						});
					if (from && to) {
						if (from > to)
							errs.push({
								Code: 'Invalid',
								Message: 'From must not be after To',
								Target: `ShippingDateRanges[${i}]`,
							});
						ranges.push({ from: dateOnly(from), to: dateOnly(to) });
					}
				});
			}
		}
		if (errs.length)
			throw new ApiError(
				400,
				'ValidationFailed',
				`The manifest query is not valid: ${errs.map((e) => `${e.Target}: ${e.Message}`).join('; ')}`,
				errs,
			);
		const wantStates = states ?? MANIFESTABLE;
		const wantCarriers = carriers?.map((c) => c.toUpperCase());
		const found: Rec[] = [];
		for (const r of this.byRef.values()) {
			if (!wantStates.includes(r.doc.ConsignmentState as ConsignmentState)) continue;
			if (locations && !r.shippingLocationRefs.some((l) => locations.includes(l))) continue;
			if (wantCarriers) {
				const a = r.allocation;
				if (
					!a ||
					!(
						wantCarriers.includes(a.carrier.Reference.toUpperCase()) ||
						wantCarriers.includes(a.carrier.Name.toUpperCase())
					)
				)
					continue;
			}
			if (typeof q.LabelsPrinted === 'boolean' && r.doc.LabelsPrinted !== q.LabelsPrinted) continue;
			const day = this.shipDay(r);
			if (shipDay && day !== shipDay) continue;
			if (ranges.length && !ranges.some((rg) => day >= rg.from && day <= rg.to)) continue;
			found.push(r);
		}
		const failed: string[] = [];
		for (const r of found) if (!this.manifestOne(r).ok) failed.push(r.ref);
		const queued = found.length - failed.length;
		return {
			Message: `Query found ${found.length} consignment(s). ${queued} successfully queued to manifest. ${failed.length} failed to be added to the queue`,
			FailedConsignments: failed,
		};
	}
}
