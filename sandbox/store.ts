// The consignment store and its state machine: the records, and every transition on them.
// Every operation checks the current state against the contract's table (states.ts) and throws
// a 400 naming the state and the allowed ones: a wrong transition is never a silent success.
// Bodies arrive already validated (validation/), files come from documents/.
import {
	clearAllocation,
	noQualifyingService,
	postcodeRejected,
	rejectedPostcode,
	trackingNumber,
	usableQuote,
	writeAllocation,
} from './allocation';
import { CARRIER_BY_REF } from './catalogue';
import { Clock } from './clock';
import { CustomsDocuments, DocumentResult, Documents, labelContentType } from './documents/service';
import { computeQuotes, IssuedQuote, quoteInputOf } from './quotes';
import {
	addressesOf,
	ConsignmentEvent,
	ConsignmentEventType,
	ConsignmentRecord,
	eachRef,
	ManifestResult,
	shipDayOf,
	snapshotOf,
	StateListener,
	stateOf,
} from './record';
import { matchesManifestQuery } from './search';
import {
	ALLOWED_FROM,
	FAIL_ALLOCATION_MARK,
	FAIL_MANIFEST_MARK,
	listRefusals,
	MANIFESTABLE,
	stateRefusal,
} from './states';
import { ConsignmentState, StoredConsignment, TrackingEvent } from './types';
import {
	ApiError,
	deterministicGuid,
	isoOffset,
	parseDate,
	Rng,
	sequentialRef,
	streamSeed,
} from './util';
import { NormalisedCreate } from './validation/create';
import { ManifestQuery } from './validation/selection';

type Rec = ConsignmentRecord;

export class Store {
	private byRef = new Map<string, Rec>();
	private quoteIndex = new Map<string, IssuedQuote>();
	private consignmentSeq = 0;
	private packageSeq = 0;
	private guidSeq = 0;
	private eventSeq = 0;
	private trackingRng: Rng;
	private events: ConsignmentEvent[] = [];
	private documents = new Documents();
	/** told about every state change after it happened (the tracker starts / stops journeys) */
	onStateChange: StateListener | null = null;

	constructor(
		private seed: number,
		private clock: Clock,
		private baseUrl: () => string,
	) {
		this.trackingRng = new Rng(streamSeed(seed, 'tracking'));
	}

	/** Counters keep running across reset() so references never repeat within a run. */
	reset(): void {
		this.byRef.clear();
		this.quoteIndex.clear();
		this.events = [];
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

	/** All records, in creation order. */
	records(): IterableIterator<Rec> {
		return this.byRef.values();
	}

	/** The consignment events (ConsignmentCreated, LabelsPrinted, ...), oldest first. */
	consignmentEvents(): readonly ConsignmentEvent[] {
		return this.events;
	}

	find(ref: string): Rec | undefined {
		return this.byRef.get(ref);
	}

	/** The record, or a 404 ConsignmentNotFound. */
	rec(ref: string): Rec {
		const r = this.byRef.get(ref);
		if (!r) throw new ApiError(404, 'ConsignmentNotFound', `Consignment ${ref} was not found`);
		return r;
	}

	private setState(r: Rec, to: ConsignmentState, action: string, at = this.clock.now()): void {
		r.doc.ConsignmentState = to;
		r.history.push({ state: to, at: isoOffset(at), action });
		this.onStateChange?.(r, to, at);
	}

	private recordEvent(
		r: Rec,
		type: ConsignmentEventType,
		message: string,
		details: string[] = [],
		info: ConsignmentEvent['info'] = [],
	): void {
		this.events.push({
			id: deterministicGuid(this.seed, `event:${++this.eventSeq}`),
			ref: r.ref,
			type,
			message,
			at: this.clock.now(),
			state: stateOf(r),
			details,
			info,
		});
	}

	/** One carrier tracking step: the event, the dates it sets, the state it leads to. */
	track(r: Rec, to: ConsignmentState, event: TrackingEvent, at: Date): void {
		r.tracking.push(event);
		const d = r.doc;
		const when = isoOffset(at);
		if (to === 'Collected') d.DateCollected = d.DateShipped = when;
		if (to === 'Delivered') d.DateDelivered = when;
		if (to === 'DeliveryFailed') {
			d.AttemptedDeliveryDate = when;
			d.FirstAttemptedDeliveryDate ??= when;
		}
		this.setState(r, to, 'tracking', at);
	}

	private requireState(r: Rec, action: keyof typeof ALLOWED_FROM, verb: string): void {
		const refusal = stateRefusal(r.ref, stateOf(r), action, verb);
		if (refusal) throw refusal;
	}

	create(n: NormalisedCreate): Rec {
		const ref = sequentialRef('EC', ++this.consignmentSeq);
		const now = this.clock.now();
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
			tracking: [],
			failedManifest: null,
		};
		this.byRef.set(ref, r);
		this.recordEvent(r, 'ConsignmentCreated', `Consignment ${ref} created`, [
			`Source: ${String(doc.Source)}`,
		]);
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
		return r ? snapshotOf(r) : undefined;
	}

	all(): StoredConsignment[] {
		return [...this.byRef.keys()].map((k) => this.snapshot(k)!);
	}

	private runQuotes(r: Rec) {
		return computeQuotes(quoteInputOf(r), this.clock.now(), (svc) =>
			this.guid(`quote:${r.ref}:${svc}`),
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

	/** The allocation attempt shared by allocatewithquote and allocatewithcheapestquote. */
	private allocate(r: Rec, q: IssuedQuote): unknown[] {
		const custRef = String(r.doc.ConsignmentReferenceProvidedByCustomer);
		if (custRef.includes(FAIL_ALLOCATION_MARK) && r.failedAllocations === 0) {
			r.failedAllocations++;
			this.failAllocation(
				r,
				'Carrier rejected the allocation (sandbox failure mark)',
				new ApiError(
					400,
					'AllocationFailed',
					`Allocation of consignment ${r.ref} with ${q.service.Name} failed: carrier rejected the request`,
				),
			);
		}
		// Quotes do not look at the postcode; the carrier does, when it is asked to take the parcel.
		const postcode = rejectedPostcode(addressesOf(r).destination);
		if (postcode !== undefined) {
			this.failAllocation(
				r,
				`The carrier rejected the destination postcode '${postcode}': check the address`,
				postcodeRejected(r.ref, q, postcode),
			);
		}
		const carrier = CARRIER_BY_REF.get(q.service.CarrierReference)!;
		const tracking = r.packages.map(() => trackingNumber(this.trackingRng, carrier));
		const answer = writeAllocation(r, q, carrier, tracking, this.clock.now(), this.baseUrl());
		this.setState(r, 'Allocated', 'allocate');
		return answer;
	}

	/** Records a failed allocation (state AllocationFailed, FailedAllocation's reason) and throws `error`. */
	private failAllocation(r: Rec, reason: string, error: ApiError): never {
		r.doc.FailedAllocation = { Reason: reason, Date: isoOffset(this.clock.now()) };
		this.setState(r, 'AllocationFailed', 'allocate');
		throw error;
	}

	allocateWithQuote(ref: string, quoteRef: string): unknown[] {
		const r = this.rec(ref);
		this.requireState(r, 'allocate', 'allocate');
		const q = this.quoteIndex.get(quoteRef.toLowerCase());
		return this.allocate(r, usableQuote(ref, quoteRef, q, this.clock.now()));
	}

	allocateCheapest(ref: string): unknown[] {
		const r = this.rec(ref);
		this.requireState(r, 'allocate', 'allocate');
		const run = this.runQuotes(r);
		if (!run.quotes.length) {
			this.failAllocation(
				r,
				'No qualifying carrier service',
				noQualifyingService(ref, run.unqualified),
			);
		}
		const q = run.quotes[0];
		this.quoteIndex.set(q.quoteReference, q);
		r.quoteRefs.add(q.quoteReference);
		return this.allocate(r, q);
	}

	/** Labels in PDF/PNG/ZPL; marks LabelsPrinted once the file is ready. */
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
		const allocation = r.allocation!;
		const file = await this.documents.label(r, allocation, fmt, packageRef);
		// The consignment may have been deallocated/cancelled while the file was being built.
		if (r.allocation !== allocation || !ALLOWED_FROM.labels.includes(stateOf(r))) {
			throw new ApiError(
				409,
				'ConsignmentChanged',
				`Consignment ${ref} changed (now ${stateOf(r)}) while its labels were being generated`,
			);
		}
		const d = r.doc;
		if (!d.LabelsPrinted) d.DateLabelsWereFirstPrinted = isoOffset(this.clock.now());
		d.LabelsPrinted = true;
		d.LabelCount = r.packages.length;
		this.recordEvent(
			r,
			'LabelsPrinted',
			`Labels printed for consignment ${ref}`,
			[`Format: ${fmt}`, ...(packageRef ? [`Package: ${packageRef}`] : [])],
			[{ Key: 'LabelFormat', Value: fmt, PropertyType: 'String' }],
		);
		return { File: file.toString('base64'), ContentType: labelContentType(fmt) };
	}

	async customsDocuments(ref: string): Promise<CustomsDocuments> {
		const r = this.rec(ref);
		this.requireState(r, 'customs', 'get customs documents for');
		return this.documents.customs(r, r.allocation!, this.clock.now());
	}

	cancel(ref: string): void {
		this.cancelOne(this.rec(ref));
	}

	private cancelOne(r: Rec): void {
		this.requireState(r, 'cancel', 'cancel');
		this.setState(r, 'Cancelled', 'cancel');
	}

	deallocate(ref: string): void {
		this.deallocateOne(this.rec(ref));
	}

	private deallocateOne(r: Rec): void {
		this.requireState(r, 'deallocate', 'deallocate');
		clearAllocation(r);
		this.setState(r, 'Unallocated', 'deallocate');
	}

	/** Cancel / deallocate lists: the documented message on success, no links. */
	undoList(refs: string[], undo: 'cancel' | 'deallocate'): ManifestResult[] {
		const [one, message] =
			undo === 'cancel'
				? [(r: Rec) => this.cancelOne(r), 'Consignment cancellation completed successfully']
				: [(r: Rec) => this.deallocateOne(r), 'Consignment deallocation completed successfully'];
		return eachRef(
			refs,
			(ref) => this.byRef.get(ref),
			(r) => (one(r), { ok: true, message }),
			() => null,
		);
	}

	/** Batch ready/not-ready: all-or-nothing, a 400 lists every reference that cannot move. */
	setReadyToShip(refs: string[], ready: boolean): ManifestResult[] {
		const action = ready ? 'setReadyToShip' : 'setNotReadyToShip';
		const errs = listRefusals(
			refs,
			(ref) => this.byRef.get(ref)?.doc.ConsignmentState as ConsignmentState | undefined,
			action,
		);
		if (errs.length) {
			throw new ApiError(
				400,
				'InvalidConsignmentState',
				`Cannot set ${ready ? '' : 'not '}ready to ship: ${errs.map((e) => e.Message).join('; ')}`,
				errs,
			);
		}
		return refs.map((ref) => {
			const r = this.byRef.get(ref)!;
			this.setState(r, ready ? 'ReadyToShip' : 'Allocated', action);
			return {
				IsSuccess: true,
				Message: ready
					? 'Consignment marked as Ready To Ship completed successfully'
					: 'Consignment set back to Allocated from Ready To Ship completed successfully',
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
			const message = `Consignment ${r.ref} could not be manifested: carrier rejected the manifest`;
			r.failedManifest = { message, at: isoOffset(this.clock.now()) };
			this.setState(r, 'ManifestFailed', 'manifest');
			return { ok: false, message };
		}
		this.setState(r, 'Manifested', 'manifest');
		return { ok: true, message: `Consignment ${r.ref} has been manifested successfully.` };
	}

	manifest(refs: string[]): ManifestResult[] {
		return eachRef(
			refs,
			(ref) => this.byRef.get(ref),
			(r) => this.manifestOne(r),
			(ref) => [{ Rel: 'Link', Href: `${this.baseUrl()}/consignments/${encodeURIComponent(ref)}` }],
		);
	}

	manifestFromQuery(q: ManifestQuery): { Message: string; FailedConsignments: string[] } {
		const found = [...this.byRef.values()].filter((r) => matchesManifestQuery(r, q));
		const failed: string[] = [];
		for (const r of found) if (!this.manifestOne(r).ok) failed.push(r.ref);
		const queued = found.length - failed.length;
		return {
			Message: `Query found ${found.length} consignment(s). ${queued} successfully queued to manifest. ${failed.length} failed to be added to the queue`,
			FailedConsignments: failed,
		};
	}
}
