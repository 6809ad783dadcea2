import type { DomainModule } from '../types';
import { identityDomain } from './identity';
import { instagramDomain } from './instagram';
import { whatsappDomain } from './whatsapp';

/** Every domain module the engine loads (owned by the simulator engineer). */
export const domainModules: DomainModule[] = [identityDomain, instagramDomain, whatsappDomain];
