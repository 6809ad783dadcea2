/** Shared set-up for the shared-layer tests: run the shared probe node (MetaProbe) through the harness. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { executeNode } from '../helpers/harness';
import type { ExecuteNodeResult } from '../helpers/harness';
import { transportClock } from '../../nodes/Meta/shared/transport';
import { MetaProbe } from '../helpers/fixtures/MetaProbe.node';

export const BASE = 'http://graph.meta.test';
export const TOKEN = 'EAAGtestTokenForFoundation0123456789abcdef';
export const APP_SECRET = 'app-secret-0f1e2d3c4b5a';

export interface ProbeRun extends ExecuteNodeResult {
	result: unknown;
}

export function accessTokenCredentials(extra: IDataObject = {}) {
	return {
		metaBusinessAccessTokenApi: {
			accessToken: TOKEN,
			baseUrl: BASE,
			graphApiVersion: 'v26.0',
			appSecret: '',
			...extra,
		},
	};
}

export async function probe(
	call: 'request' | 'allItems' | 'batch',
	spec: IDataObject,
	options: { credentials?: IDataObject; authentication?: string } = {},
): Promise<ProbeRun> {
	const run = await executeNode({
		node: MetaProbe,
		parameters: {
			authentication: options.authentication ?? 'accessToken',
			call,
			spec: JSON.stringify(spec),
		},
		credentials: (options.credentials ?? accessTokenCredentials()) as never,
	});
	return { ...run, result: run.outputs[0]?.[0]?.json?.result };
}

/** Replaces the transport's sleep with a recorder (no real waiting); returns the recorded waits. */
export function recordWaits(): number[] {
	const waits: number[] = [];
	transportClock.sleep = async (ms: number) => {
		waits.push(ms);
	};
	transportClock.random = () => 0.5;
	return waits;
}

const originalClock = { ...transportClock };
export function restoreClock(): void {
	Object.assign(transportClock, originalClock);
}

/**
 * Jest hooks for a shared-layer test file: no real network (nock answers; loopback allowed for tests
 * that run a local server), no nock interceptor or clock stub leaking into the next test.
 */
export function isolateNetwork(options: { allowLoopback?: boolean } = {}): void {
	beforeAll(() => {
		nock.disableNetConnect();
		if (options.allowLoopback) nock.enableNetConnect('127.0.0.1');
	});
	afterEach(() => {
		nock.cleanAll();
		restoreClock();
	});
	afterAll(() => nock.enableNetConnect());
}

/** Runs one of the probe's non-transport calls (read, answer, operation) with the given parameters. */
export async function probeCall(
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean; credentials?: IDataObject } = {},
): Promise<ExecuteNodeResult> {
	return await executeNode({
		node: MetaProbe,
		parameters: { authentication: 'accessToken', ...parameters } as never,
		...(options.items ? { items: options.items.map((json) => ({ json })) } : {}),
		...(options.continueOnFail ? { settings: { continueOnFail: true } } : {}),
		credentials: (options.credentials ?? accessTokenCredentials()) as never,
	});
}
