/**
 * Simulator throughput: the engine must never be what limits a benchmark (goal >= 2,000 simple
 * requests per second on loopback). The load comes from a child process (keep-alive, 50
 * concurrent requests) so client and server do not share one event loop.
 */
import { spawn } from 'child_process';

import { startSimulator } from '../simulator';
import type { Benchmark, BenchReport } from './types';

const CONCURRENCY = 50;
const DURATION_MS = 5000;
const WARMUP_MS = 500;

/** Plain Node script run by the child: hammers one URL, prints {count, errors, latencies}. */
const LOAD_SCRIPT = `
const http = require('http');
const [url, token, concurrency, durationMs, warmupMs] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const latencies = [];
let errors = 0;
let measuring = false;
let stop = false;
function one() {
	return new Promise((resolve) => {
		const started = process.hrtime.bigint();
		const req = http.get(url, { agent, headers: { Authorization: 'Bearer ' + token } }, (res) => {
			res.resume();
			res.on('end', () => {
				if (measuring) {
					if (res.statusCode !== 200) errors++;
					latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
				}
				resolve();
			});
		});
		req.on('error', () => { if (measuring) errors++; resolve(); });
	});
}
async function worker() { while (!stop) await one(); }
setTimeout(() => { measuring = true; }, Number(warmupMs));
setTimeout(() => { stop = true; }, Number(warmupMs) + Number(durationMs));
Promise.all(Array.from({ length: Number(concurrency) }, worker)).then(() => {
	process.stdout.write(JSON.stringify({ count: latencies.length, errors, latencies }));
	agent.destroy();
});
`;

interface LoadResult {
	rps: number;
	p50: number;
	p99: number;
	errors: number;
	count: number;
}

function runLoad(url: string, token: string): Promise<LoadResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['-e', LOAD_SCRIPT, url, token, String(CONCURRENCY), String(DURATION_MS), String(WARMUP_MS)],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
			const parsed = JSON.parse(out) as { count: number; errors: number; latencies: number[] };
			const sorted = parsed.latencies.sort((a, b) => a - b);
			const pick = (q: number): number =>
				sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
			resolve({
				count: parsed.count,
				errors: parsed.errors,
				rps: parsed.count / (DURATION_MS / 1000),
				p50: pick(0.5),
				p99: pick(0.99),
			});
		});
	});
}

export const bench: Benchmark = {
	title: 'Meta Graph simulator throughput',
	async run(): Promise<BenchReport> {
		const sim = await startSimulator('demo');
		try {
			const simple = await runLoad(`${sim.baseUrl}/v26.0/me`, 'EAADemoUserLongLived');
			const expanded = await runLoad(
				`${sim.baseUrl}/v26.0/me/accounts?fields=id,name,tasks,access_token,instagram_business_account%7Bid,username%7D`,
				'EAADemoUserLongLived',
			);
			const row = (name: string, r: LoadResult): string =>
				`| ${name} | ${r.count} | ${r.errors} | ${Math.round(r.rps)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`;
			const markdown = [
				`Load from a child process: ${CONCURRENCY} concurrent keep-alive connections for ${DURATION_MS / 1000} s after a ${WARMUP_MS} ms warm-up, demo scenario, no latency injected.`,
				'',
				'| Request | Requests | Errors | Requests/s | p50 ms | p99 ms |',
				'|---|---|---|---|---|---|',
				row('`GET /v26.0/me`', simple),
				row('`GET /v26.0/me/accounts` with nested fields', expanded),
			].join('\n');
			return {
				markdown,
				goals: [
					{
						goal: 'Simulator serves >= 2,000 simple requests/s on loopback',
						met: simple.rps >= 2000 && simple.errors === 0,
						measured: `${Math.round(simple.rps)} req/s (p50 ${simple.p50.toFixed(2)} ms, p99 ${simple.p99.toFixed(2)} ms, ${simple.errors} errors)`,
					},
				],
			};
		} finally {
			await sim.stop();
		}
	},
};
