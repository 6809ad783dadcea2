/**
 * The per-item runner and error conversion (nodes/Meta/shared/execute.ts): paired items, Continue
 * On Fail into one error item per failed input item, the item index on every error, and a clear
 * error for an operation chosen by an expression that does not exist.
 */
import nock from 'nock';
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../nodes/Meta/shared/execute';
import { BASE, isolateNetwork, probeCall } from './helpers';

isolateNetwork();

const node: INode = {
	id: 'node-1',
	name: 'Meta',
	type: 'n8n-nodes-meta-business.metaProbe',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('toNodeError', () => {
	it('keeps errors of this package and adds the item index when missing', () => {
		const operationError = new NodeOperationError(node, 'bad input');
		expect(toNodeError(node, operationError, 3)).toBe(operationError);
		expect(operationError.context.itemIndex).toBe(3);
		const apiError = new NodeApiError(node, { message: 'refused' }, { itemIndex: 1 });
		expect(toNodeError(node, apiError, 5)).toBe(apiError);
		expect(apiError.context.itemIndex).toBe(1);
	});

	it('wraps a plain Error, keeping its message', () => {
		const converted = toNodeError(node, new TypeError('x is not a function'), 2);
		expect(converted).toBeInstanceOf(NodeOperationError);
		expect(converted.message).toBe('x is not a function');
		expect(converted.context.itemIndex).toBe(2);
	});

	it.each([
		['an object', { reason: 'x' }],
		['undefined', undefined],
		['null', null],
		['an empty text', ''],
	])('a thrown %s never reads "[object Object]" or "undefined"', (_kind, thrown) => {
		const converted = toNodeError(node, thrown, 0);
		expect(converted).toBeInstanceOf(NodeOperationError);
		expect(converted.message).toBe('The item failed with an unexpected error');
	});

	it('a thrown text keeps its words', () => {
		expect(toNodeError(node, 'Quota used up', 0).message).toBe('Quota used up');
	});
});

describe('getOperation through expressions', () => {
	it('picks the operation the expression names', async () => {
		const run = await probeCall(
			{ call: 'operation', operation: '={{ $json.op }}' },
			{ items: [{ op: 'read' }] },
		);
		expect(run.error).toBeUndefined();
		expect(run.outputs[0][0].json).toEqual({ value: 'read' });
	});

	it.each([
		['={{ "publish" }}', 'Operation "publish" is not supported'],
		['={{ "constructor" }}', 'Operation "constructor" is not supported'],
		['={{ "toString" }}', 'Operation "toString" is not supported'],
		['={{ null }}', "Operation is not set to one of the node's choices"],
		['={{ {a:1} }}', "Operation is not set to one of the node's choices"],
		['={{ $json.missing }}', "Operation is not set to one of the node's choices"],
	])('%s -> a clear error listing the choices', async (expression, message) => {
		const run = await probeCall({ call: 'operation', operation: expression });
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe(message);
		expect(String(run.error?.description)).toBe('Choose one of: get, read.');
	});
});

describe('runPerItem', () => {
	it('pairs every output item with its input item', async () => {
		nock(BASE).get('/v26.0/a').query(true).reply(200, { id: 'a' });
		nock(BASE).get('/v26.0/b').query(true).reply(200, { id: 'b' });
		const run = await probeCall(
			{ call: 'get', path: '={{ $json.path }}' },
			{ items: [{ path: '/a' }, { path: '/b' }] },
		);
		expect(run.error).toBeUndefined();
		expect(run.outputs[0].map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: 'a' }, { item: 0 }],
			[{ id: 'b' }, { item: 1 }],
		]);
	});

	it('Continue On Fail: a Meta refusal becomes the shared error item, paired, and the loop goes on', async () => {
		nock(BASE).get('/v26.0/a').query(true).reply(200, { id: 'a' });
		nock(BASE)
			.get('/v26.0/b')
			.query(true)
			.reply(400, {
				error: {
					message: 'Unsupported get request',
					code: 100,
					error_subcode: 33,
					fbtrace_id: 'T1',
				},
			});
		nock(BASE).get('/v26.0/c').query(true).reply(200, { id: 'c' });
		const run = await probeCall(
			{ call: 'get', path: '={{ $json.path }}' },
			{ items: [{ path: '/a' }, { path: '/b' }, { path: '/c' }], continueOnFail: true },
		);
		const out = run.outputs[0];
		expect(out).toHaveLength(3);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(Object.keys(out[1].json).sort()).toEqual(['details', 'error', 'message']);
		expect(out[1].json.details).toMatchObject({
			status: 'failed',
			code: 100,
			subcode: 33,
			fbtraceId: 'T1',
			itemIndex: 1,
		});
		expect(out[2].json).toEqual({ id: 'c' });
	});

	it('without Continue On Fail the first failure stops the node, carrying the item index', async () => {
		nock(BASE).get('/v26.0/a').query(true).reply(200, { id: 'a' });
		nock(BASE)
			.get('/v26.0/b')
			.query(true)
			.reply(400, { error: { message: 'Invalid parameter', code: 100 } });
		nock(BASE).get('/v26.0/c').query(true).reply(200, { id: 'c' });
		const run = await probeCall(
			{ call: 'get', path: '={{ $json.path }}' },
			{ items: [{ path: '/a' }, { path: '/b' }, { path: '/c' }] },
		);
		expect(run.error?.name).toBe('NodeApiError');
		expect((run.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		// Nothing after the failed item was sent.
		expect(nock.pendingMocks()).toEqual([expect.stringContaining('/v26.0/c')]);
	});
});
