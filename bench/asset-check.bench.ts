/**
 * Meta Asset Check economy: a generated account with 50 Pages (each with an Instagram account) and
 * 5 WhatsApp Business Accounts, checked by the real node (through n8n-core, over real HTTP against
 * the simulator), against the naive way of reading the same facts one Graph call per asset.
 * Measured twice: with the simulator answering at once, and with 40 ms per request (a realistic
 * round trip to graph.facebook.com), where round trips dominate.
 */
import {
	buildLargeScenario,
	LARGE_USER_TOKEN,
	naiveCallCount,
} from '../test/asset-check/large-scenario';
import { executeNode, loadOurNodeTypes } from '../test/helpers/harness';
import { startSimulator } from '../simulator';
import type { RunningSimulator } from '../simulator/types';
import type { Benchmark, BenchReport } from './types';

const PAGES = 50;
const WABAS = 5;
const ROUND_TRIP_GOAL = 6;
const RUNS = 3;

/** Through the harness loader: under tsx a bare `X.node` import resolves to the codex JSON. */
function assetCheckNode() {
	const found = loadOurNodeTypes().find(
		(nodeType) => nodeType.description.name === 'metaAssetCheck',
	);
	if (!found) throw new Error('Meta Asset Check node not found in package.json n8n.nodes');
	return found;
}

async function nodeRun(
	sim: RunningSimulator,
): Promise<{ ms: number; roundTrips: number; ready: boolean }> {
	sim.control.clearRequests();
	const started = performance.now();
	const { outputs, error } = await executeNode({
		node: assetCheckNode(),
		parameters: { authentication: 'accessToken', operation: 'checkEverything' },
		credentials: {
			metaBusinessAccessTokenApi: { accessToken: LARGE_USER_TOKEN, baseUrl: sim.baseUrl },
		},
	});
	const ms = performance.now() - started;
	if (error) throw error;
	return {
		ms,
		roundTrips: sim.control.requests().length,
		ready: outputs[0]?.[0]?.json.ready === true,
	};
}

/** The same facts read one call per asset, sequentially, as a hand-built workflow would. */
async function naiveRun(sim: RunningSimulator): Promise<{ ms: number; calls: number }> {
	const get = async (path: string): Promise<any> => {
		const response = await fetch(`${sim.baseUrl}/v26.0${path}`, {
			headers: { Authorization: `Bearer ${LARGE_USER_TOKEN}` },
		});
		return await response.json();
	};
	sim.control.clearRequests();
	const started = performance.now();
	const debug = await get(`/debug_token?input_token=${LARGE_USER_TOKEN}`);
	await get('/me?fields=id,name');
	await get('/me/permissions');
	await get(`/${debug.data.app_id}?fields=id,name,owner_business`);
	const pages = await get('/me/accounts?fields=id&limit=100');
	for (const page of pages.data) {
		const details = await get(
			`/${page.id}?fields=id,name,tasks,access_token,instagram_business_account`,
		);
		const account = details.instagram_business_account?.id;
		if (account) {
			await get(`/${account}?fields=id,username,account_type`);
			await get(`/${account}/content_publishing_limit?fields=quota_usage,config`);
		}
	}
	const businesses = await get('/me/businesses?fields=id,name');
	for (const business of businesses.data) {
		const owned = await get(`/${business.id}/owned_whatsapp_business_accounts?fields=id`);
		await get(`/${business.id}/client_whatsapp_business_accounts?fields=id`);
		for (const waba of owned.data) {
			await get(`/${waba.id}?fields=id,name`);
			await get(`/${waba.id}/phone_numbers`);
			await get(`/${waba.id}/message_templates?fields=status`);
			await get(`/${waba.id}/subscribed_apps`);
		}
	}
	const ms = performance.now() - started;
	return { ms, calls: sim.control.requests().length };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export const bench: Benchmark = {
	title: `Meta Asset Check: ${PAGES} Pages and ${WABAS} WhatsApp Business Accounts`,
	async run(): Promise<BenchReport> {
		const { scenario, counts } = buildLargeScenario(PAGES, WABAS);
		const sim = await startSimulator(scenario);
		const rows: string[] = [];
		let roundTrips = 0;
		let allReady = true;
		let slowNode = 0;
		let slowNaive = 0;
		try {
			for (const latency of [0, 40]) {
				sim.control.setLatency(latency, 0);
				const nodeTimes: number[] = [];
				const naiveTimes: number[] = [];
				let naiveCalls = 0;
				// One warm-up run of each, not measured (module loading, TLS-free sockets).
				await nodeRun(sim);
				for (let run = 0; run < RUNS; run++) {
					const result = await nodeRun(sim);
					nodeTimes.push(result.ms);
					roundTrips = Math.max(roundTrips, result.roundTrips);
					allReady &&= result.ready;
				}
				for (let run = 0; run < (latency ? 1 : RUNS); run++) {
					const result = await naiveRun(sim);
					naiveTimes.push(result.ms);
					naiveCalls = result.calls;
				}
				const nodeMs = median(nodeTimes);
				const naiveMs = median(naiveTimes);
				if (latency) {
					slowNode = nodeMs;
					slowNaive = naiveMs;
				}
				rows.push(
					`| ${latency} ms | ${roundTrips} | ${nodeMs.toFixed(0)} ms | ${naiveCalls} | ${naiveMs.toFixed(0)} ms | ${(naiveMs / nodeMs).toFixed(1)}x |`,
				);
			}
		} finally {
			await sim.stop();
		}
		const markdown = [
			`Generated account: ${counts.pages} Pages, ${counts.instagramAccounts} Instagram accounts, ${counts.businesses} business portfolio, ${counts.wabas} WhatsApp Business Accounts, ${counts.phoneNumbers} phone numbers. Node: Check Everything, no target (median of ${RUNS} runs after a warm-up). Naive: one Graph call per asset, sequential (formula: ${naiveCallCount(counts)} calls).`,
			'',
			'| Simulated latency per request | Node round trips | Node wall time | Naive calls | Naive wall time | Speed-up |',
			'|---|---|---|---|---|---|',
			...rows,
		].join('\n');
		return {
			markdown,
			goals: [
				{
					goal: `At most ${ROUND_TRIP_GOAL} Graph round trips for ${PAGES} Pages and ${WABAS} WhatsApp Business Accounts`,
					met: roundTrips <= ROUND_TRIP_GOAL && allReady,
					measured: `${roundTrips} round trips${allReady ? '' : ' (report not ready!)'}`,
				},
				{
					goal: 'Faster than one call per asset at 40 ms per request',
					met: slowNode < slowNaive,
					measured: `${slowNode.toFixed(0)} ms vs ${slowNaive.toFixed(0)} ms`,
				},
			],
		};
	},
};
