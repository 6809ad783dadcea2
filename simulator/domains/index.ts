import type { DomainModule } from '../types';
import { identityDomain } from './identity';
import { instagramDomain } from './instagram';
import { whatsappDomain } from './whatsapp';

/** Every domain module the engine loads (owned by the simulator engineer). */
// whatsapp before instagram: both answer POST /{id}/media, and the WhatsApp module hands ids that
// are not phone numbers to Instagram's handler (see mediaEdgePost in whatsapp.ts).
export const domainModules: DomainModule[] = [identityDomain, whatsappDomain, instagramDomain];
