/**
 * Robustness, a small run of the generator that bench/robustness.bench.ts runs in full: values of
 * the wrong kind through expressions for every field of every operation of every node (stopped
 * before any request unless test/robustness/allow-list.ts says why not), and the write operations
 * under every fault the simulator injects (nothing lost, nothing duplicated, no wrong success).
 */
import { allOperations, allWrites } from './cases';
import { allowed } from './allow-list';
import type { FaultName, FaultResult } from './generator';
import { runBadInputs, runFault, simulatorPool, writeTargets } from './generator';

jest.setTimeout(60_000);

const pool = simulatorPool();
afterAll(async () => await pool.stop());

describe('values of the wrong kind, through expressions, one value per field', () => {
	it.each(
		allOperations.map(
			(operation) => [`${operation.group.node} ${operation.operation}`, operation] as const,
		),
	)(
		'%s: stopped before any request (or allow-listed), never sent as null/undefined/[object Object]',
		async (_name, operation) => {
			const { baseline, results } = await runBadInputs(pool, operation, { perField: 1 });
			// The baseline reaches Meta and succeeds, so a refusal is the bad value's doing.
			expect(baseline).toMatchObject({ ok: true });
			expect(results.length).toBeGreaterThan(0);
			expect(results.filter((result) => result.wrongSuccess)).toEqual([]);
			const unexplained = results
				.filter((result) => !result.stopped && !allowed(result))
				.map(({ field, value, requests, error }) => ({ field, value, requests, error }));
			expect(unexplained).toEqual([]);
		},
	);
});

const FAULTS: FaultName[] = [
	'http500',
	'http503',
	'reset',
	'malformedJson',
	'dropAfterProcessing',
	'throttled',
];
const ITEMS = 2;

describe('write operations under faults: nothing lost, nothing duplicated, no wrong success', () => {
	it.each(allWrites.map((write) => [`${write.group.node} ${write.operation}`, write] as const))(
		'%s',
		async (_name, write) => {
			const targets = await writeTargets(pool, write);
			expect(targets.length).toBeGreaterThan(0);
			const results: FaultResult[] = [];
			for (const fault of FAULTS) {
				// Throttling hits every request: one run covers all targets.
				for (const target of fault === 'throttled' ? targets.slice(0, 1) : targets) {
					results.push(await runFault(pool, write, target, fault, ITEMS));
				}
			}
			const bad = results.filter(
				(result) =>
					result.lost || result.duplicated || result.wrongSuccesses || result.wrongFailures,
			);
			expect(
				bad.map(({ target, fault, lost, duplicated, wrongSuccesses, wrongFailures, detail }) => ({
					target,
					fault,
					lost,
					duplicated,
					wrongSuccesses,
					wrongFailures,
					detail,
				})),
			).toEqual([]);
			expect(results.every((result) => result.items > 0)).toBe(true);
		},
	);
});
