import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { whatsAppBusinessAccountLocator } from '../../../shared/descriptions/whatsAppBusinessAccount';
import { graphRequestAllItems } from '../../../shared/transport';

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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const wabaId = String(this.getNodeParameter('wabaId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!/^\d+$/.test(wabaId)) {
		throw new NodeOperationError(this.getNode(), 'No WhatsApp Business Account selected', {
			itemIndex,
			description: 'Pick one under "WhatsApp Business Account", or enter its ID (digits).',
		});
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		fields: 'id,name,language,status,category,parameter_format,components',
	};
	if (Array.isArray(filters.status) && filters.status.length) qs.status = filters.status.join(',');
	if (Array.isArray(filters.category) && filters.category.length) qs.category = filters.category.join(',');
	if (filters.language) qs.language = String(filters.language).trim();
	if (filters.name) qs.name = String(filters.name).trim();
	const templates = await graphRequestAllItems.call(
		this,
		{ method: 'GET', path: `/${wabaId}/message_templates`, qs, itemIndex },
		{ limit, pageSize: limit !== undefined ? Math.min(limit, 100) : 100 },
	);
	return templates.map((template) => ({ json: template as IDataObject, pairedItem: { item: itemIndex } }));
}
