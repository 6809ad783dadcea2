/**
 * Child process of bench/whatsapp.bench.ts: runs WhatsApp Send for N text items against a
 * simulator running in ANOTHER process (its URL on the command line), so the memory measured
 * here is the node's and n8n-core's alone. Prints one JSON line with the result.
 *
 * `node --expose-gc --import tsx bench/whatsapp-memory.ts <baseUrl> <items> <messagesPerSecond> <maxParallel>`
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { executeNode, loadOurNodeTypes } from '../test/helpers/harness';

const PHONE_ID = '106000000000001';
const TOKEN = 'EAADemoSystemUser';
const MB = 2 ** 20;

export interface MemoryResult {
	items: number;
	seconds: number;
	accepted: number;
	failed: number;
	outputItems: number;
	/** RSS and heap right before the measured run (after a 10-item warm-up and a GC). */
	startRssMb: number;
	startHeapMb: number;
	peakRssMb: number;
	peakHeapMb: number;
}

export const recipient = (n: number) => `4420700${String(n).padStart(5, '0')}`;

function gc(): void {
	(global as { gc?: () => void }).gc?.();
}

async function send(
	baseUrl: string,
	count: number,
	messagesPerSecond: number,
	maxParallelRequests: number,
	first = 0,
) {
	const node = loadOurNodeTypes().find((nodeType) => nodeType.description.name === 'whatsAppSend');
	if (!node) throw new Error('WhatsApp Send node not found in package.json n8n.nodes');
	const items: INodeExecutionData[] = Array.from({ length: count }, (_, index) => ({
		json: {
			phone: `+${recipient(first + index)}`,
			text: `Reminder ${first + index}: your appointment is tomorrow at 10:00.`,
		},
	}));
	return await executeNode({
		node,
		parameters: {
			authentication: 'accessToken',
			resource: 'message',
			operation: 'sendText',
			phoneNumberId: { __rl: true, mode: 'id', value: PHONE_ID },
			to: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			options: { messagesPerSecond, maxParallelRequests },
		},
		items,
		credentials: { metaBusinessAccessTokenApi: { accessToken: TOKEN, baseUrl } },
		settings: { onError: 'continueRegularOutput' },
	});
}

async function main(): Promise<void> {
	const [baseUrl, countText, rateText, parallelText] = process.argv.slice(2);
	const count = Number(countText);
	// Warm-up: loads every module the run needs, so the start figure is n8n with the node ready.
	// Its recipients come after the measured ones, so the bench can tell them apart.
	const warmUp = await send(baseUrl, 10, 1000, 10, count);
	if (warmUp.error) throw warmUp.error;
	gc();
	const start = process.memoryUsage();
	let peakRss = start.rss;
	let peakHeap = start.heapUsed;
	const sample = () => {
		const usage = process.memoryUsage();
		peakRss = Math.max(peakRss, usage.rss);
		peakHeap = Math.max(peakHeap, usage.heapUsed);
	};
	const sampler = setInterval(sample, 20);
	const started = process.hrtime.bigint();
	const { outputs, error } = await send(baseUrl, count, Number(rateText), Number(parallelText));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	clearInterval(sampler);
	sample();
	if (error) throw error;
	// maxRSS (KiB) is the kernel's high-water mark: it also catches a peak between two samples.
	peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
	const results = (outputs[0] ?? []).map((item) => item.json);
	const accepted = results.filter((result) => result.status === 'accepted').length;
	const result: MemoryResult = {
		items: count,
		seconds,
		accepted,
		failed: results.length - accepted,
		outputItems: results.length,
		startRssMb: start.rss / MB,
		startHeapMb: start.heapUsed / MB,
		peakRssMb: peakRss / MB,
		peakHeapMb: peakHeap / MB,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
		process.exit(1);
	});
}
