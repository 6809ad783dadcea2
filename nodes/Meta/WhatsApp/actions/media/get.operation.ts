import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { answerObject, graphRequest, requireAnswerField } from '../../../shared/transport';
import { getMediaId, mediaIdField } from './shared';

const properties: INodeProperties[] = [mediaIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const mediaId = getMediaId.call(this, itemIndex);
	const response: unknown = await graphRequest.call(this, {
		method: 'GET',
		path: `/${mediaId}`,
		itemIndex,
	});
	requireAnswerField(this.getNode(), response, 'id', {
		what: `the lookup of media ${mediaId}`,
		itemIndex,
		write: false,
	});
	return [{ json: answerObject(response) as IDataObject, pairedItem: { item: itemIndex } }];
}
