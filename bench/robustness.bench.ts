/**
 * Robustness (issue 11): the generator of test/robustness run in full. Every field every
 * operation of every node shows, filled through expressions with values of the wrong kind
 * (null, undefined, an object, a list, NaN and true for numbers, '' for required fields, text
 * one character over Meta's limit), one item per run with Continue On Fail, counted from the
 * simulator's request log; then the write operations under every fault the simulator injects,
 * counted from Meta's own records (the simulator's sent messages, published media, replies).
 */
import { ALLOWED, allowed } from '../test/robustness/allow-list';
import { allOperations, allWrites } from '../test/robustness/cases';
import type { BadInputResult, FaultName, FaultResult } from '../test/robustness/generator';
import {
	FAULT_LABELS,
	runBadInputs,
	runFault,
	simulatorPool,
	writeTargets,
} from '../test/robustness/generator';
import type { Benchmark, BenchReport } from './types';

const ITEMS = 10;
const FAULTS: FaultName[] = [
	'http500',
	'http503',
	'reset',
	'malformedJson',
	'dropAfterProcessing',
	'throttled',
];
/** One write per node waits out the 60 s request timeout (the node offers no shorter one). */
const HANG_ITEMS = 2;

export const bench: Benchmark = {
	title: 'Robustness: bad inputs through expressions, and faults',
	async run(): Promise<BenchReport> {
		const pool = simulatorPool();
		const badRows: string[] = [];
		const notStopped: BadInputResult[] = [];
		let tried = 0;
		let stopped = 0;
		let wrongInputSuccesses = 0;
		let baselinesOk = true;
		const faults: FaultResult[] = [];
		try {
			for (const operation of allOperations) {
				const { baseline, results } = await runBadInputs(pool, operation);
				baselinesOk &&= baseline.ok;
				const stoppedHere = results.filter((result) => result.stopped).length;
				const sent = results.filter((result) => result.requests.length > 0);
				const wrong = results.filter((result) => result.wrongSuccess).length;
				tried += results.length;
				stopped += stoppedHere;
				wrongInputSuccesses += wrong;
				notStopped.push(...results.filter((result) => !result.stopped));
				badRows.push(
					`| ${operation.group.node} | ${operation.operation} | ${baseline.ok ? 'ok' : `**failed**: ${baseline.error}`} | ${new Set(results.map((result) => result.field)).size} | ${results.length} | ${stoppedHere} (${((100 * stoppedHere) / Math.max(1, results.length)).toFixed(0)} %) | ${sent.length} (${sent.filter((result) => result.wrote).length} with a POST/DELETE) | ${wrong} |`,
				);
			}
			for (const write of allWrites) {
				const targets = await writeTargets(pool, write);
				for (const fault of FAULTS) {
					for (const target of fault === 'throttled' ? targets.slice(0, 1) : targets) {
						faults.push(await runFault(pool, write, target, fault, ITEMS));
					}
				}
			}
			// Hangs: the first write target of one write operation per node, side by side.
			const hangCases = [
				allWrites.find((write) => write.group.node === 'WhatsApp Send'),
				allWrites.find((write) => write.group.node === 'Instagram Publish'),
				allWrites.find((write) => write.group.node === 'Instagram Engage'),
			];
			const hangs = await Promise.all(
				hangCases.map(async (write) => {
					if (!write) return undefined;
					const [target] = (await writeTargets(pool, write)).filter(
						(candidate) =>
							candidate.label.includes('(Graph batch') || write.group.node !== 'Instagram Publish',
					);
					return await runFault(pool, write, target, 'hang', HANG_ITEMS);
				}),
			);
			for (const hang of hangs) if (hang) faults.push(hang);
		} finally {
			await pool.stop();
		}
		const byKind = new Map<
			FaultName,
			{
				runs: number;
				items: number;
				lost: number;
				duplicated: number;
				wrong: number;
				wrongFailures: number;
				succeeded: number;
				unknown: number;
				failed: number;
			}
		>();
		for (const result of faults) {
			const row = byKind.get(result.fault) ?? {
				runs: 0,
				items: 0,
				lost: 0,
				duplicated: 0,
				wrong: 0,
				wrongFailures: 0,
				succeeded: 0,
				unknown: 0,
				failed: 0,
			};
			row.runs++;
			row.items += result.items;
			row.lost += result.lost;
			row.duplicated += result.duplicated;
			row.wrong += result.wrongSuccesses;
			row.wrongFailures += result.wrongFailures;
			row.succeeded += result.succeeded;
			row.unknown += result.unknown;
			row.failed += result.failed;
			byKind.set(result.fault, row);
		}
		const totals = [...byKind.values()].reduce(
			(sum, row) => ({
				lost: sum.lost + row.lost,
				duplicated: sum.duplicated + row.duplicated,
				wrong: sum.wrong + row.wrong + row.wrongFailures,
			}),
			{ lost: 0, duplicated: 0, wrong: 0 },
		);
		const unexplained = notStopped.filter((result) => !allowed(result));
		const listed = notStopped.map((result) => {
			const entry = allowed(result);
			return `| ${result.node} | ${result.operation} | ${result.field} | ${result.value} | ${result.requests.length ? result.requests.join(', ') : 'none'} | ${result.succeeded ? 'success' : 'error'} | ${entry ? (entry.todo ? `**defect**: ${entry.reason.replace(/^TODO: /, '')}` : `legitimate: ${entry.reason}`) : '**not explained**'} |`;
		});
		const faultOperations = [
			...new Set(faults.map((result) => `${result.node} ${result.operation}`)),
		].join(', ');
		const markdown = [
			`Bad inputs: ${tried} values of the wrong kind tried on ${allOperations.length} operations of 5 nodes, one item per run with Continue On Fail, each against a baseline run with valid values that reaches Meta and succeeds. "Stopped" = an error item and no request at all in the simulator's log (n8n's own check of an empty required field counts: it also stops before the node runs). A "wrong success" is a success whose requests carried "null", "undefined", "[object Object]", "NaN" or "a,b".`,
			'',
			'| Node | Operation | Baseline | Fields | Bad inputs tried | Stopped before any request | Requests sent | Wrong successes |',
			'|---|---|---|---|---|---|---|---|',
			...badRows,
			`| **All** | | | | **${tried}** | **${stopped} (${((100 * stopped) / Math.max(1, tried)).toFixed(1)} %)** | **${tried - stopped}** | **${wrongInputSuccesses}** |`,
			'',
			`Values not stopped before a request (${notStopped.length}), with the reason from \`test/robustness/allow-list.ts\` (${ALLOWED.filter((entry) => entry.todo).length} of its ${ALLOWED.length} entries are defects reported for a fix):`,
			'',
			'| Node | Operation | Field | Value | Requests | Item | Why |',
			'|---|---|---|---|---|---|---|',
			...listed,
			'',
			`Faults: ${ITEMS} items per run (private replies: 3, one per comment the scenario holds) of ${faultOperations}, the fault hitting each write request the operation makes (every item's first attempt), counted from Meta's records. Retry waits are shortened to at most 50 ms (the counts do not depend on them). Hangs: ${HANG_ITEMS} items of one write per node, waiting out the node's 60 s request timeout.`,
			'',
			'| Fault | Runs | Items | Lost | Duplicated | Wrong successes | Reported failed but recorded | Succeeded | Unknown outcome | Failed |',
			'|---|---|---|---|---|---|---|---|---|---|',
			...[...byKind.entries()].map(
				([kind, row]) =>
					`| ${FAULT_LABELS[kind]} | ${row.runs} | ${row.items} | ${row.lost} | ${row.duplicated} | ${row.wrong} | ${row.wrongFailures} | ${row.succeeded} | ${row.unknown} | ${row.failed} |`,
			),
		].join('\n');
		return {
			markdown,
			goals: [
				{
					goal: 'Every baseline run reaches Meta and succeeds',
					met: baselinesOk,
					measured: baselinesOk ? 'all ok' : 'some failed (see table)',
				},
				{
					goal: 'No bad input sent as "null", "undefined", "[object Object]", "NaN" or "a,b" with a success',
					met: wrongInputSuccesses === 0,
					measured: `${wrongInputSuccesses} wrong successes`,
				},
				{
					goal: 'Every bad input stopped before any request, or allow-listed with a reason',
					met: unexplained.length === 0,
					measured: `${stopped} of ${tried} stopped, ${notStopped.length - unexplained.length} allow-listed, ${unexplained.length} unexplained`,
				},
				{
					goal: 'Under every fault: 0 items lost, 0 duplicated, 0 wrong successes',
					met: totals.lost + totals.duplicated + totals.wrong === 0,
					measured: `${totals.lost} lost, ${totals.duplicated} duplicated, ${totals.wrong} wrong (successes + failures recorded by Meta), ${faults.length} runs`,
				},
			],
		};
	},
};
