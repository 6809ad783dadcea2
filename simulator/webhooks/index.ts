/**
 * The simulator's webhook emitter: Meta-shaped, signed, batched deliveries with retries, the
 * verification handshake, and the routing of each field to the app URL or an override. See
 * emitter.ts (sending), routing.ts (registrations and destinations), payloads.ts (builders).
 */
export * from './emitter';
export * from './payloads';
export * from './routing';
export * from './signing';
export * from './hub';
