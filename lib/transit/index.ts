export * from './transit-gateway-hub';
