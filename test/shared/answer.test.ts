/**
 * The one check of a success answer (nodes/Meta/shared/transport/answer.ts), over real HTTP: a 200
 * whose body cannot be read is never a success; for a write it is an unknown outcome (error item
 * status `unknown`), for a read a failure.
 */
import nock from 'nock';

import { answerObject } from '../../nodes/Meta/shared/transport';
import { BASE, isolateNetwork, probeCall } from './helpers';

isolateNetwork();

async function answer(
	method: 'GET' | 'POST',
	reply: () => nock.Scope,
	field = 'id',
	continueOnFail = false,
) {
	reply();
	return await probeCall(
		{ call: 'answer', field, spec: JSON.stringify({ method, path: '/thing' }) },
		{ continueOnFail },
	);
}

describe('requireAnswerField', () => {
	it('returns the field as text (ids may come as numbers)', async () => {
		const text = await answer('POST', () =>
			nock(BASE).post('/v26.0/thing').reply(200, { id: '179' }),
		);
		expect(text.outputs[0][0].json).toEqual({ value: '179' });
		const number = await answer('GET', () =>
			nock(BASE).get('/v26.0/thing').reply(200, { id: 17841400000 }),
		);
		expect(number.outputs[0][0].json).toEqual({ value: '17841400000' });
	});

	it.each([
		['a body cut short', '{"id":"17'],
		['plain text', 'OK'],
		['an empty body', ''],
		['a list', '[{"id":"1"}]'],
		['no id', '{"success":true}'],
		['an empty id', '{"id":"  "}'],
		['an object as id', '{"id":{"value":"1"}}'],
		['null as id', '{"id":null}'],
	])('a write answered with %s is an unknown outcome, never a success', async (_kind, body) => {
		const run = await answer(
			'POST',
			() =>
				nock(BASE).post('/v26.0/thing').reply(200, body, { 'content-type': 'application/json' }),
			'id',
			true,
		);
		const item = run.outputs[0][0].json;
		expect(item.error).toBe("Meta's answer to the probe call could not be read (no id in it)");
		expect(item.details).toMatchObject({ status: 'unknown', itemIndex: 0 });
		expect(String(item.message)).toContain('not known whether the probe call happened');
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('a read answered with an unreadable body is a failure, not an unknown outcome', async () => {
		const run = await answer(
			'GET',
			() =>
				nock(BASE).get('/v26.0/thing').reply(200, '{"id":', { 'content-type': 'application/json' }),
			'id',
			true,
		);
		expect(run.outputs[0][0].json.details).toMatchObject({ status: 'failed' });
	});

	it('without Continue On Fail the node fails with a NodeApiError carrying the item index', async () => {
		const run = await answer(
			'POST',
			() => nock(BASE).post('/v26.0/thing').reply(200, { ok: true }),
			'id',
		);
		expect(run.error?.name).toBe('NodeApiError');
		expect((run.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});
});

describe('answerObject', () => {
	it('is an object only for plain objects', () => {
		expect(answerObject({ id: '1' })).toEqual({ id: '1' });
		for (const value of [null, undefined, 'text', 5, ['a'], Buffer.from('x')]) {
			expect(answerObject(value)).toBeUndefined();
		}
	});
});
