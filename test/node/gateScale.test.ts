/**
 * The rate control at 1 to 32 n8n processes (#21): every process (a queue-mode worker) has its own
 * AccountGate for the same Electio account, the real transport/gate.ts on a virtual clock, and
 * they share one token bucket of 20 or 50 requests/s. Virtual time makes every run give the same
 * numbers, so the targets are the gate's behaviour, not this machine's speed. `npm run bench:gate`
 * prints the same runs as a table (bench/results/gate.md).
 */
import { DEFAULT_SIM, GATE_TARGETS, simulate, sustainedOrders } from '../../bench/gateSim/simulate';

const counts = [1, 2, 4, 8, 16, 32];
const limits = [20, 50];

describe('one account shared by 1 to 32 processes, each learning the limit on its own', () => {
	test.each(limits.flatMap((limit) => counts.map((processes) => [processes, limit])))(
		'%i process(es) kept busy at %i requests/s: >= 0.9 of the limit used, <= 5 %% of calls answered 429, no order failed',
		async (processes, limit) => {
			const run = await simulate({
				...DEFAULT_SIM,
				processes,
				limit,
				orders: sustainedOrders(processes),
			});
			expect(run.failedOrders).toBe(0);
			expect(run.efficiency).toBeGreaterThanOrEqual(GATE_TARGETS.efficiency);
			expect(run.throttledShare).toBeLessThanOrEqual(GATE_TARGETS.throttledShare);
			// Every call of every order was answered: nothing lost to the virtual scheduler.
			expect(run.okCalls).toBeGreaterThanOrEqual(sustainedOrders(processes) * 4);
		},
	);

	test.each(limits.flatMap((limit) => [1, 2, 4].map((processes) => [processes, limit])))(
		'one 300-order ERP burst over %i process(es) at %i requests/s meets the same targets',
		async (processes, limit) => {
			const run = await simulate({ ...DEFAULT_SIM, processes, limit, orders: 300 });
			expect(run.failedOrders).toBe(0);
			expect(run.efficiency).toBeGreaterThanOrEqual(GATE_TARGETS.efficiency);
			expect(run.throttledShare).toBeLessThanOrEqual(GATE_TARGETS.throttledShare);
		},
	);
});
