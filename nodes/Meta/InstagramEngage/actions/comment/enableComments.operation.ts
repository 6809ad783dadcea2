import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { postIdField } from '../../descriptions/fields';
import { setCommentsEnabled } from './shared';

const properties: INodeProperties[] = [postIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['enableComments'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await setCommentsEnabled.call(this, itemIndex, true);
}
