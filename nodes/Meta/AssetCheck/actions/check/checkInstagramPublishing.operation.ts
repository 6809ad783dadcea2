import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { instagramAccountTarget, pageTarget } from '../../descriptions/targets';
import { runAssetCheck } from './shared';

const properties: INodeProperties[] = [instagramAccountTarget, pageTarget];

export const description = updateDisplayOptions(
	{ show: { operation: ['checkInstagramPublishing'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await runAssetCheck.call(this, itemIndex, 'checkInstagramPublishing', [
		'instagramPublishing',
	]);
}
