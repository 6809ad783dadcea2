/**
 * The typed parameter reader (nodes/Meta/shared/parameters.ts), driven through real node
 * parameters and expressions in the probe node: wrong kinds are refused before any request, the
 * error names the field and the item, and never echoes "[object Object]" or "undefined".
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeNode } from '../helpers/harness';
import { collectionValue, expectEntriesSet } from '../../nodes/Meta/shared/parameters';
import { isolateNetwork, probeCall } from './helpers';

isolateNetwork();

async function read(reader: string, value: unknown, rules: object = {}) {
	const run = await probeCall({
		call: 'read',
		reader,
		value: value as string,
		rules: JSON.stringify(rules),
	});
	return { value: run.outputs[0]?.[0]?.json?.value, error: run.error };
}

function expectRefused(
	error: (Error & { description?: unknown }) | undefined,
	problem: RegExp,
): void {
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toMatch(/^Value \(item 1\): /);
	expect(error?.message).toMatch(problem);
	const texts = `${error?.message} ${String(error?.description ?? '')}`;
	expect(texts).not.toContain('[object Object]');
	expect(texts).not.toMatch(/\bundefined\b/);
	expect(texts).not.toContain('a,b');
}

const NOT_SCALARS: Array<[string, RegExp]> = [
	['={{ null }}', /an empty value \(null\)/],
	['={{ undefined }}', /no value/],
	['={{ $json.missing }}', /no value/],
	['={{ {a:1} }}', /an object/],
	['={{ ["a","b"] }}', /a list/],
	['={{ NaN }}', /not finite/],
];

describe('readText', () => {
	it.each(NOT_SCALARS)('refuses %s', async (expression, kind) => {
		const { error } = await read('text', expression);
		expectRefused(error, kind);
	});

	it('refuses true/false and says to give text, not to pick a field of an object', async () => {
		const { error } = await read('text', '={{ true }}');
		expectRefused(error, /true\/false/);
		expect(String(error?.description)).toContain('Give Value a text value');
		expect(String(error?.description)).not.toContain('inside the object');
	});

	it('accepts numbers as text, trims, and treats empty as not set', async () => {
		expect((await read('text', '={{ 12 }}')).value).toBe('12');
		expect((await read('text', '  hello  ')).value).toBe('hello');
		expect((await read('text', '={{ "" }}')).value).toBe('');
	});

	it('required and maxLength', async () => {
		expectRefused((await read('text', '   ', { required: true })).error, /is empty/);
		expectRefused(
			(await read('text', 'abcdef', { maxLength: 5 })).error,
			/6 characters long; Meta accepts at most 5/,
		);
		expect((await read('text', 'abcde', { maxLength: 5 })).value).toBe('abcde');
	});
});

describe('readNumber', () => {
	it.each(NOT_SCALARS)('refuses %s', async (expression, kind) => {
		expectRefused((await read('number', expression)).error, kind);
	});

	it.each([
		['={{ true }}', /true\/false/],
		['={{ [] }}', /a list/],
		['abc', /text that is not a number/],
		['0x10', /text that is not a number/],
		['={{ "Infinity" }}', /text that is not a number/],
		['1,5', /text that is not a number/],
	])('refuses %s (never read as 0, 1 or 16)', async (expression, kind) => {
		expectRefused((await read('number', expression)).error, kind);
	});

	it.each([
		['={{ 0 }}', 0],
		['={{ "12.5" }}', 12.5],
		[' -3 ', -3],
		['1e3', 1000],
		['.5', 0.5],
	])('reads %s as %p', async (expression, expected) => {
		expect((await read('number', expression)).value).toBe(expected);
	});

	it('empty text is "not set" unless required', async () => {
		expect((await read('number', '={{ "" }}')).value).toBe('(undefined)');
		expectRefused((await read('number', '={{ "" }}', { required: true })).error, /empty text/);
	});

	it('integer, min and max', async () => {
		expectRefused((await read('number', '2.5', { integer: true })).error, /whole number/);
		expectRefused((await read('number', '-91', { min: -90 })).error, /at least -90/);
		expectRefused((await read('number', '181', { max: 180 })).error, /at most 180/);
		expect((await read('number', '180', { min: -180, max: 180, integer: true })).value).toBe(180);
	});
});

describe('readBoolean, readOption, readCollection, expectList', () => {
	it('booleans: true/false and their texts; nothing else', async () => {
		expect((await read('boolean', '={{ true }}')).value).toBe(true);
		expect((await read('boolean', '={{ " FALSE " }}')).value).toBe(false);
		expectRefused((await read('boolean', '={{ 1 }}')).error, /a number/);
		expectRefused((await read('boolean', '={{ null }}')).error, /null/);
	});

	it('options: one of the choices only', async () => {
		expect((await read('option', '={{ "beta" }}')).value).toBe('beta');
		const wrong = (await read('option', '={{ "gamma" }}')).error;
		expectRefused(wrong, /"gamma" is not one of the choices/);
		expect(String(wrong?.description)).toContain('alpha, beta');
		expectRefused((await read('option', '={{ {a:1} }}')).error, /an object/);
		expectRefused((await read('option', '={{ undefined }}')).error, /no value/);
	});

	it('collections: an object; unset is {}; lists and scalars refused', async () => {
		expect((await read('collection', '={{ {a:1} }}')).value).toEqual({ a: 1 });
		expect((await read('collection', '={{ null }}')).value).toEqual({});
		expectRefused((await read('collection', '={{ ["a","b"] }}')).error, /a list/);
		expectRefused((await read('collection', '={{ 5 }}')).error, /a number/);
	});

	it('lists: a list; unset is []; objects refused', async () => {
		expect((await read('list', '={{ ["a","b"] }}')).value).toEqual(['a', 'b']);
		expect((await read('list', '={{ undefined }}')).value).toEqual([]);
		expectRefused((await read('list', '={{ {a:1} }}')).error, /an object/);
	});
});

describe('per item, through $json', () => {
	it('names the failing item; with Continue On Fail every item yields exactly one output item', async () => {
		const run = await probeCall(
			{ call: 'read', reader: 'number', value: '={{ $json.latitude }}' },
			{ items: [{ latitude: 1.5 }, { latitude: '' }, { latitude: [] }, {}], continueOnFail: true },
		);
		const out = run.outputs[0];
		expect(out).toHaveLength(4);
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[0].json).toEqual({ value: 1.5 });
		expect(out[1].json).toEqual({ value: '(undefined)' });
		expect(out[2].json.error).toBe(
			'Value (item 3): expected a number but the expression gave a list',
		);
		expect(out[3].json.error).toBe(
			'Value (item 4): expected a number but the expression gave no value',
		);
		expect(out[3].json.details).toMatchObject({ status: 'failed', itemIndex: 3 });
	});

	it('without Continue On Fail the node stops at the first bad item with its index', async () => {
		const run = await probeCall(
			{ call: 'read', reader: 'text', value: '={{ $json.caption }}' },
			{ items: [{ caption: 'ok' }, { caption: { nested: true } }] },
		);
		expect(run.error?.message).toBe(
			'Value (item 2): expected text but the expression gave an object',
		);
		expect((run.error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(1);
	});
});

/**
 * A node with an Options collection and a fixed collection, read the way the Meta nodes read them:
 * the object n8n-core hands over, then `collectionValue` per entry (or `expectEntriesSet`).
 */
class CollectionProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Collection Probe',
		name: 'collectionProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads collection entries (tests only)',
		defaults: { name: 'Collection Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'All At Once', name: 'allAtOnce', type: 'boolean', default: false },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{ displayName: 'Limit', name: 'limit', type: 'number', default: 5 },
					{ displayName: 'Label', name: 'label', type: 'string', default: '' },
				],
			},
			{
				displayName: 'Rows',
				name: 'rows',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Row',
						name: 'row',
						values: [
							{
								displayName: 'Kind',
								name: 'kind',
								type: 'options',
								options: [
									{ name: 'A', value: 'a' },
									{ name: 'B', value: 'b' },
								],
								default: 'a',
							},
						],
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const node = this.getNode();
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		if (this.getNodeParameter('allAtOnce', 0, false)) {
			expectEntriesSet(node, options, { limit: 'Limit', label: 'Label' }, 0);
			return [[{ json: { checked: true } }]];
		}
		const rows = ((this.getNodeParameter('rows', 0, {}) as IDataObject).row ?? []) as IDataObject[];
		const kinds = rows.map((row, position) =>
			collectionValue(
				node,
				row,
				'kind',
				{ label: `Row ${position + 1} Kind`, itemIndex: 0 },
				`row ${position + 1}`,
			),
		);
		const limit = collectionValue(node, options, 'limit', { label: 'Limit', itemIndex: 0 });
		const label = collectionValue(node, options, 'label', { label: 'Label', itemIndex: 0 });
		return [
			[
				{
					json: {
						limit: limit ?? '(not added)',
						label: label ?? '(not added)',
						kinds: kinds.map((kind) => kind ?? '(not added)'),
					},
				},
			],
		];
	}
}

async function readEntries(parameters: IDataObject) {
	const run = await executeNode({ node: CollectionProbe, parameters: parameters as never });
	return { json: run.outputs[0]?.[0]?.json, error: run.error };
}

describe('collectionValue: an added option that gives nothing is not "not added"', () => {
	it('n8n-core keeps the key of an added option whose expression gave undefined (what the reader relies on)', async () => {
		const { json, error } = await readEntries({ options: { limit: '={{ 3 }}' } });
		expect(error).toBeUndefined();
		expect(json).toEqual({ limit: 3, label: '(not added)', kinds: [] });
	});

	it.each([
		['={{ undefined }}', 'no value'],
		['={{ $json.missing }}', 'no value'],
		['={{ null }}', 'an empty value (null)'],
	])(
		'refuses an added option set to %s, naming the field, the item and the fix',
		async (expression, kind) => {
			const { error } = await readEntries({ options: { limit: expression } });
			expect(error?.name).toBe('NodeOperationError');
			expect(error?.message).toBe(`Limit (item 1): was added but the expression gave ${kind}`);
			expect(String(error?.description)).toContain(
				'Remove the option Limit or give Limit a value.',
			);
			expect(`${error?.message} ${String(error?.description)}`).not.toMatch(
				/\bundefined\b|\[object Object\]/,
			);
		},
	);

	it("refuses a fixed collection row's entry that gave nothing, naming the row", async () => {
		// n8n-core fills a row's untouched entry with its default.
		const ok = await readEntries({ rows: { row: [{ kind: 'b' }, {}] } });
		expect(ok.json).toEqual({
			limit: '(not added)',
			label: '(not added)',
			kinds: ['b', 'a'],
		});
		const { error } = await readEntries({
			rows: { row: [{ kind: 'b' }, { kind: '={{ undefined }}' }] },
		});
		expect(error?.message).toBe('Row 2 Kind (item 1): was added but the expression gave no value');
		expect(String(error?.description)).toContain('Remove row 2 or give Row 2 Kind a value.');
	});

	it('passes values of any kind through for the matching expect* to check (empty text stays empty)', async () => {
		const { json } = await readEntries({ options: { limit: '={{ [1] }}', label: '' } });
		expect(json).toMatchObject({ limit: [1], label: '' });
	});

	it('expectEntriesSet checks every named entry at once', async () => {
		expect((await readEntries({ allAtOnce: true, options: { limit: 2 } })).json).toEqual({
			checked: true,
		});
		const { error } = await readEntries({
			allAtOnce: true,
			options: { limit: 2, label: '={{ null }}' },
		});
		expect(error?.message).toBe(
			'Label (item 1): was added but the expression gave an empty value (null)',
		);
	});
});
