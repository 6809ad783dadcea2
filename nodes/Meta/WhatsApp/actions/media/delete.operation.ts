import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { answerObject, graphRequest, unreadableAnswerError } from '../../../shared/transport';
import { getMediaId, mediaIdField } from './shared';

const properties: INodeProperties[] = [mediaIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const mediaId = getMediaId.call(this, itemIndex);
	const response: unknown = await graphRequest.call(this, {
		method: 'DELETE',
		path: `/${mediaId}`,
		itemIndex,
	});
	// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#delete-media answers
	// { success: true }; an answer without it says nothing about whether the file is gone.
	const success = answerObject(response)?.success;
	if (typeof success !== 'boolean') {
		throw unreadableAnswerError(
			this.getNode(),
			{ what: `the deletion of media ${mediaId}`, itemIndex, write: true },
			'success',
		);
	}
	return [{ json: { id: mediaId, deleted: success }, pairedItem: { item: itemIndex } }];
}
