import type { IExecuteFunctions } from 'n8n-workflow';

import { readText } from '../../../shared/parameters';
import { invalid } from '../../helpers/validation';

export function readContainerId(this: IExecuteFunctions, itemIndex: number): string {
	const containerId = readText.call(this, 'containerId', itemIndex, 'Container ID');
	if (!/^[0-9]+$/.test(containerId)) {
		throw invalid.call(
			this,
			itemIndex,
			containerId
				? `Container ID "${containerId.slice(0, 60)}" is not a container ID`
				: 'Container ID is empty',
			'Use the containerId returned by Container > Create, e.g. {{ $json.containerId }}.',
		);
	}
	return containerId;
}
