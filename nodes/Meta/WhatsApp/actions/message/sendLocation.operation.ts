import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readNumber } from '../../../shared/parameters';
import type { PreparedMessage } from '../../helpers/sender';
import { getOptions, messageDescription, messageOptions, optionText, startMessage } from './shared';

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
	// Latitude 0 (the equator) is a valid value; '', null, [] and true are not.
	const latitude = readNumber.call(this, 'latitude', itemIndex, 'Latitude', {
		required: true,
		min: -90,
		max: 90,
		hint: 'Use decimal degrees, e.g. 37.4847.',
	});
	const longitude = readNumber.call(this, 'longitude', itemIndex, 'Longitude', {
		required: true,
		min: -180,
		max: 180,
		hint: 'Use decimal degrees, e.g. -122.1477.',
	});
	const options = getOptions.call(this, itemIndex);
	const name = optionText.call(this, itemIndex, options, 'locationName', 'Location Name');
	const address = optionText.call(this, itemIndex, options, 'address', 'Address');
	body.location = {
		latitude,
		longitude,
		...(name ? { name } : {}),
		...(address ? { address } : {}),
	};
	return { itemIndex, phoneNumberId, body, summary: { to, type: 'location' } };
}
