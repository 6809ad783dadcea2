import type { DomainModule } from '../types';

/** STUB created by the coordinator; owned and filled by the whatsapp engineer. */
export const whatsappDomain: DomainModule = {
	name: 'whatsapp',
	nodeTypes: [],
	routes: [],
};
