/**
 * WhatsApp Send bulk throughput: 1,000 text messages against the simulator limited to 80 messages
 * per second with 50 ms latency, paced (this node) and one at a time (how n8n's built-in WhatsApp
 * node sends), plus peak memory for 10,000 items. The real node code runs in n8n-core's
 * WorkflowExecute (test/helpers/harness) and talks HTTP to the simulator on 127.0.0.1.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { executeNode, loadOurNodeTypes } from '../test/helpers/harness';
import { loadScenario, startSimulator } from '../simulator';
import type { RunningSimulator, Scenario } from '../simulator';
import { whatsappSentMessages } from '../simulator/domains/whatsapp';
import type { Benchmark, BenchReport } from './types';

const PHONE_ID = '106000000000001';
const TOKEN = 'EAADemoSystemUser';
const LIMIT_PER_SECOND = 80;
const LATENCY_MS = 50;
const MESSAGES = 1000;
const MEMORY_ITEMS = 10000;
const FLOOR_SECONDS = MESSAGES / LIMIT_PER_SECOND;
const GOAL_SECONDS = FLOOR_SECONDS * 1.15;

/** Through the harness loader: under tsx a bare `X.node` import resolves to the codex JSON. */
function whatsAppSendNode() {
	const found = loadOurNodeTypes().find((nodeType) => nodeType.description.name === 'whatsAppSend');
	if (!found) throw new Error('WhatsApp Send node not found in package.json n8n.nodes');
	return found;
}

const recipient = (n: number) => `4420700${String(n).padStart(5, '0')}`;

function scenario(recipients: number): Scenario {
	const base = JSON.parse(JSON.stringify(loadScenario('demo'))) as Scenario;
	base.name = 'whatsapp-bench';
	base.contacts = Array.from({ length: recipients }, (_, n) => ({ waId: recipient(n), lastInboundAgo: 60 }));
	return base;
}

interface RunResult {
	seconds: number;
	accepted: number;
	failed: number;
	delivered: number;
	duplicates: number;
	lost: number;
	throttledReplies: number;
	peakRssMb?: number;
	peakHeapMb?: number;
}

async function sendBulk(
	sim: RunningSimulator,
	count: number,
	options: {
		messagesPerSecond: number;
		maxParallelRequests: number;
		simulatorLimitPerSecond: number;
		sampleMemory?: boolean;
	},
): Promise<RunResult> {
	// reset() restores the start settings, so the limit is set after it.
	sim.control.reset();
	sim.control.setSettings({ throughputPerSecond: options.simulatorLimitPerSecond });
	const items: INodeExecutionData[] = Array.from({ length: count }, (_, n) => ({
		json: { phone: `+${recipient(n)}`, text: `Reminder ${n}: your appointment is tomorrow at 10:00.` },
	}));
	let peakRss = 0;
	let peakHeap = 0;
	const sample = () => {
		const usage = process.memoryUsage();
		peakRss = Math.max(peakRss, usage.rss);
		peakHeap = Math.max(peakHeap, usage.heapUsed);
	};
	const sampler = options.sampleMemory ? setInterval(sample, 50) : undefined;
	sample();
	const started = process.hrtime.bigint();
	const { outputs, error } = await executeNode({
		node: whatsAppSendNode(),
		parameters: {
			authentication: 'accessToken',
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: { __rl: true, mode: 'id', value: PHONE_ID },
			to: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			options: {
				messagesPerSecond: options.messagesPerSecond,
				maxParallelRequests: options.maxParallelRequests,
			},
		},
		items,
		credentials: { metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl: sim.baseUrl } },
		settings: { onError: 'continueRegularOutput' },
	});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (sampler) clearInterval(sampler);
	sample();
	if (error) throw error;
	const results = (outputs[0] ?? []).map((item) => item.json);
	const sent = whatsappSentMessages(sim.control.world());
	const perRecipient = new Map<string, number>();
	for (const message of sent) perRecipient.set(message.to, (perRecipient.get(message.to) ?? 0) + 1);
	const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
	const accepted = results.filter((result) => result.status === 'accepted').length;
	return {
		seconds,
		accepted,
		failed: results.length - accepted,
		delivered: perRecipient.size,
		duplicates,
		lost: count - results.length + (accepted - perRecipient.size),
		throttledReplies: sim.control.requests().filter((request) => request.errorCode === 130429).length,
		peakRssMb: options.sampleMemory ? peakRss / 2 ** 20 : undefined,
		peakHeapMb: options.sampleMemory ? peakHeap / 2 ** 20 : undefined,
	};
}

export const bench: Benchmark = {
	title: 'WhatsApp Send: bulk text messages at Meta throughput',
	async run(): Promise<BenchReport> {
		const sim = await startSimulator(scenario(MEMORY_ITEMS), {
			settings: { latencyMs: LATENCY_MS, jitterMs: 0 },
		});
		try {
			const paced = await sendBulk(sim, MESSAGES, {
				messagesPerSecond: LIMIT_PER_SECOND,
				maxParallelRequests: 50,
				simulatorLimitPerSecond: LIMIT_PER_SECOND,
			});
			const sequential = await sendBulk(sim, MESSAGES, {
				messagesPerSecond: LIMIT_PER_SECOND,
				maxParallelRequests: 1,
				simulatorLimitPerSecond: LIMIT_PER_SECOND,
			});
			const memory = await sendBulk(sim, MEMORY_ITEMS, {
				messagesPerSecond: 1000,
				maxParallelRequests: 100,
				simulatorLimitPerSecond: 1000,
				sampleMemory: true,
			});
			const row = (name: string, result: RunResult) =>
				`| ${name} | ${result.seconds.toFixed(2)} s | ${(MESSAGES / result.seconds).toFixed(1)} | ${result.accepted} | ${result.failed} | ${result.duplicates} | ${result.lost} | ${result.throttledReplies} |`;
			const markdown = [
				`${MESSAGES} text messages to ${MESSAGES} recipients; simulator limited to ${LIMIT_PER_SECOND} messages per second per number (130429 past it), ${LATENCY_MS} ms latency on every reply. The floor is ${FLOOR_SECONDS} s; the goal is ${GOAL_SECONDS.toFixed(2)} s.`,
				'',
				'| Run | Time | Messages/s | Accepted | Failed | Duplicates | Lost | 130429 replies |',
				'|---|---|---|---|---|---|---|---|',
				row(`Paced at ${LIMIT_PER_SECOND}/s, up to 50 in flight (this node, defaults)`, paced),
				row('One at a time (how the built-in WhatsApp node sends)', sequential),
				'',
				`Memory: ${MEMORY_ITEMS.toLocaleString('en-US')} items at 1,000 messages per second (simulator limit raised to 1,000/s, 100 in flight) took ${memory.seconds.toFixed(2)} s; peak RSS ${memory.peakRssMb!.toFixed(0)} MB, peak heap used ${memory.peakHeapMb!.toFixed(0)} MB (the simulator and its request log run in the same process), ${memory.accepted} accepted, ${memory.duplicates} duplicates.`,
			].join('\n');
			return {
				markdown,
				goals: [
					{
						goal: `${MESSAGES} messages at ${LIMIT_PER_SECOND}/s with ${LATENCY_MS} ms latency within ${GOAL_SECONDS.toFixed(2)} s`,
						met: paced.seconds <= GOAL_SECONDS,
						measured: `${paced.seconds.toFixed(2)} s`,
					},
					{
						goal: 'Zero loss and zero duplicates (paced run)',
						met: paced.lost === 0 && paced.duplicates === 0 && paced.accepted === MESSAGES,
						measured: `${paced.accepted} accepted, ${paced.lost} lost, ${paced.duplicates} duplicates`,
					},
					{
						goal: 'Concurrency 1 reported beside it (zero loss, zero duplicates)',
						met: sequential.lost === 0 && sequential.duplicates === 0 && sequential.accepted === MESSAGES,
						measured: `${sequential.seconds.toFixed(2)} s (${(sequential.seconds / paced.seconds).toFixed(1)}x slower)`,
					},
					{
						goal: `Peak memory for ${MEMORY_ITEMS.toLocaleString('en-US')} items reported`,
						met: memory.accepted === MEMORY_ITEMS && memory.duplicates === 0,
						measured: `RSS ${memory.peakRssMb!.toFixed(0)} MB, heap ${memory.peakHeapMb!.toFixed(0)} MB`,
					},
				],
			};
		} finally {
			await sim.stop();
		}
	},
};
