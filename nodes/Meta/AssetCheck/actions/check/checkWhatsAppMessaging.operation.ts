import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberTarget, whatsAppBusinessAccountTarget } from '../../descriptions/targets';
import { runAssetCheck } from './shared';

const properties: INodeProperties[] = [whatsAppBusinessAccountTarget, phoneNumberTarget];

export const description = updateDisplayOptions(
	{ show: { operation: ['checkWhatsAppMessaging'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await runAssetCheck.call(this, itemIndex, 'checkWhatsAppMessaging', ['whatsappMessaging']);
}
