import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	instagramAccountTarget,
	pageTarget,
	phoneNumberTarget,
	whatsAppBusinessAccountTarget,
} from '../../descriptions/targets';
import { runAssetCheck } from './shared';

export const description: INodeProperties[] = [
	...updateDisplayOptions({ show: { operation: ['checkEverything'] } }, [
		instagramAccountTarget,
		pageTarget,
	]),
	// An Instagram Login credential cannot reach WhatsApp: its targets would mean nothing.
	...updateDisplayOptions(
		{ show: { operation: ['checkEverything'], authentication: ['accessToken', 'oAuth2'] } },
		[whatsAppBusinessAccountTarget, phoneNumberTarget],
	),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await runAssetCheck.call(this, itemIndex, 'checkEverything', [
		'instagramPublishing',
		'whatsappMessaging',
	]);
}
