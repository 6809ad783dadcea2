import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { whatsAppBusinessAccountLocator } from '../../../shared/descriptions/whatsAppBusinessAccount';
import {
	collectionValue,
	expectList,
	expectOption,
	expectText,
	readBoolean,
	readCollection,
	readNumber,
	readText,
} from '../../../shared/parameters';
import { graphRequestAllItems } from '../../../shared/transport';

const CATEGORIES = ['AUTHENTICATION', 'MARKETING', 'UTILITY'] as const;
const STATUSES = ['APPROVED', 'DISABLED', 'IN_APPEAL', 'PAUSED', 'PENDING', 'REJECTED'] as const;

const properties: INodeProperties[] = [
	whatsAppBusinessAccountLocator,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Authentication', value: 'AUTHENTICATION' },
					{ name: 'Marketing', value: 'MARKETING' },
					{ name: 'Utility', value: 'UTILITY' },
				],
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en_US',
				description: 'Language code of the templates',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. order',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Approved', value: 'APPROVED' },
					{ name: 'Disabled', value: 'DISABLED' },
					{ name: 'In Appeal', value: 'IN_APPEAL' },
					{ name: 'Paused', value: 'PAUSED' },
					{ name: 'Pending', value: 'PENDING' },
					{ name: 'Rejected', value: 'REJECTED' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['getMany'] } },
	properties,
);

/** A multi-options filter: a list of the allowed values (an expression may give anything). */
function filterList(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
	allowed: readonly string[],
): string[] {
	const node = this.getNode();
	return expectList(node, value, { label, itemIndex }).map((entry) =>
		expectOption(node, entry, { label, itemIndex }, allowed),
	);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const wabaId = readText.call(this, 'wabaId', itemIndex, 'WhatsApp Business Account', {
		extractValue: true,
	});
	if (!/^\d+$/.test(wabaId)) {
		throw new NodeOperationError(this.getNode(), 'No WhatsApp Business Account selected', {
			itemIndex,
			description: 'Pick one under "WhatsApp Business Account", or enter its ID (digits).',
		});
	}
	const returnAll = readBoolean.call(this, 'returnAll', itemIndex, 'Return All');
	// A limit of 0 would return nothing and look like "no templates": refused instead.
	const limit = returnAll
		? undefined
		: readNumber.call(this, 'limit', itemIndex, 'Limit', {
				required: true,
				integer: true,
				min: 1,
				fallback: 50,
			});
	const filters = readCollection.call(this, 'filters', itemIndex, 'Filters');
	const node = this.getNode();
	// A filter added with an expression that gave nothing is refused: dropping it would list
	// every template instead of the ones asked for.
	const filter = (key: string, label: string) =>
		collectionValue(node, filters, key, { label, itemIndex }, `the filter ${label}`);
	const qs: IDataObject = {
		fields: 'id,name,language,status,category,parameter_format,components',
	};
	const status = filterList.call(this, itemIndex, filter('status', 'Status'), 'Status', STATUSES);
	if (status.length) qs.status = status.join(',');
	const category = filterList.call(
		this,
		itemIndex,
		filter('category', 'Category'),
		'Category',
		CATEGORIES,
	);
	if (category.length) qs.category = category.join(',');
	const language = expectText(
		node,
		filter('language', 'Language') ?? '',
		{ label: 'Language', itemIndex },
		{ allowNumber: false },
	);
	if (language) qs.language = language;
	const name = expectText(node, filter('name', 'Name Contains') ?? '', {
		label: 'Name Contains',
		itemIndex,
	});
	if (name) qs.name = name;
	const templates = await graphRequestAllItems.call(
		this,
		{ method: 'GET', path: `/${wabaId}/message_templates`, qs, itemIndex },
		{ limit, pageSize: limit !== undefined ? Math.min(limit, 100) : 100 },
	);
	return templates.map((template) => ({
		json: template as IDataObject,
		pairedItem: { item: itemIndex },
	}));
}
