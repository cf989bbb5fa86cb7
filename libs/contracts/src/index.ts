export * from './common';
export * from './auth';
export * from './tenants';
export * from './intercom';
export * from './limits';
export * from './rotation';
export * from './csv';
