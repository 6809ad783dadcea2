import * as getMany from './getMany.operation';

export { getMany };
