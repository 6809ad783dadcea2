import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PreparedMessage } from '../../helpers/sender';
import {
	getOptions,
	messageDescription,
	messageOptions,
	sendBuilt,
	startMessage,
} from './common';

const fields: INodeProperties[] = [
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { numberPrecision: 6, minValue: -90, maxValue: 90 },
		description: 'Latitude in decimal degrees, from -90 to 90',
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		default: 0,
		required: true,
		typeOptions: { numberPrecision: 6, minValue: -180, maxValue: 180 },
		description: 'Longitude in decimal degrees, from -180 to 180',
	},
];

const optionsCollection = messageOptions([
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1 Hacker Way, Menlo Park, CA 94025',
	},
	{
		displayName: 'Location Name',
		name: 'locationName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Head office',
	},
]);

export const description = messageDescription('sendLocation', fields, optionsCollection);

export async function build(this: IExecuteFunctions, itemIndex: number): Promise<PreparedMessage> {
	const { phoneNumberId, to, body } = startMessage.call(this, itemIndex, 'location');
	const latitude = Number(this.getNodeParameter('latitude', itemIndex));
	const longitude = Number(this.getNodeParameter('longitude', itemIndex));
	if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
		throw new NodeOperationError(this.getNode(), `"Latitude" must be between -90 and 90`, {
			itemIndex,
			description: `Got ${String(latitude)}. Use decimal degrees, e.g. 37.4847.`,
		});
	}
	if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
		throw new NodeOperationError(this.getNode(), `"Longitude" must be between -180 and 180`, {
			itemIndex,
			description: `Got ${String(longitude)}. Use decimal degrees, e.g. -122.1477.`,
		});
	}
	const options = getOptions.call(this, itemIndex);
	body.location = {
		latitude,
		longitude,
		...(options.locationName ? { name: String(options.locationName) } : {}),
		...(options.address ? { address: String(options.address) } : {}),
	};
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'location' } };
}

export const execute = sendBuilt(build);
