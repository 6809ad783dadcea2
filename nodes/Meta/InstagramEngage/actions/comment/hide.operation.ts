import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commentIdField } from '../../descriptions/fields';
import { setHidden } from './shared';

const properties: INodeProperties[] = [commentIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['hide'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await setHidden.call(this, itemIndex, true);
}
