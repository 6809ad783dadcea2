import type { DomainModule } from '../types';

/** STUB created by the coordinator; owned and filled by the instagram engineer. */
export const instagramDomain: DomainModule = {
	name: 'instagram',
	nodeTypes: [],
	routes: [],
};
