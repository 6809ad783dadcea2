import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getContainerStatus, hintForStatus } from '../../helpers/containerStatus';
import { readContainerId } from './shared';

export const containerIdField: INodeProperties = {
	displayName: 'Container ID',
	name: 'containerId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 17889615691921648',
	description:
		'The containerId returned by Container > Create or by a Post operation that ran out of wait time',
};

const properties: INodeProperties[] = [containerIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['container'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const containerId = readContainerId.call(this, itemIndex);
	const state = await getContainerStatus.call(this, itemIndex, containerId);
	const { subcode, hint } = state.statusCode === 'ERROR' ? hintForStatus(state.status) : {};
	return {
		containerId,
		ready: state.statusCode === 'FINISHED',
		published: state.statusCode === 'PUBLISHED',
		failed: state.statusCode === 'ERROR' || state.statusCode === 'EXPIRED',
		statusCode: state.statusCode,
		status: state.status ?? null,
		...(subcode ? { errorSubcode: subcode } : {}),
		...(hint ? { hint } : {}),
	};
}
